#!/usr/bin/env python3
"""How long recording a portfolio as `settled` in a register takes, per backend.

    python3 Benchmarks/register.py [--contracts 1000] [--seed 42] [--skip-build]
                                   [--postgres postgres://pfs:pfs@127.0.0.1:5432/pfs_test]

For each contract of a generated portfolio, runs `pfs settle C --year LAST --register R`
(one process per contract, as a finance officer would: check, settle the term up to the
year, render the JSON statements, record the run, its statements and the event in one
transaction), first into a new SQLite file, then, given --postgres, into a new database made
on that server. Prints the total wall time, the time per contract and the register's size.
"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build-bench")


def record_all(pfs, files, register):
    subprocess.run([pfs, "register", "init", "--register", register], check=True, stdout=subprocess.DEVNULL)
    start = time.perf_counter()
    for path in files:
        with open(path, encoding="utf-8") as handle:
            last = re.search(r'<term first="\d+" last="(\d+)"', handle.read()).group(1)
        result = subprocess.run([pfs, "settle", path, "--year", last, "--register", register],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if result.returncode != 0:
            sys.exit(f"settle {path} failed:\n{result.stderr.decode(errors='replace')[-2000:]}")
    seconds = time.perf_counter() - start
    verify_start = time.perf_counter()
    subprocess.run([pfs, "register", "verify", "--register", register], check=True, stdout=subprocess.DEVNULL)
    return seconds, time.perf_counter() - verify_start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--postgres", help="URL of a PostgreSQL database whose role may create databases")
    args = parser.parse_args()
    if not args.skip_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "pfs", "--traits", "PostgreSQL"], cwd=ROOT, check=True)
    pfs = os.path.join(ROOT, ".build", "release", "pfs")
    folder = os.path.join(WORK, f"register-{args.seed}-{args.contracts}")
    if not os.path.isdir(folder):
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate.py"), "--seed", str(args.seed),
                        "--contracts", str(args.contracts), "--out", folder], check=True, stdout=subprocess.DEVNULL)
    files = sorted(os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".xml"))
    print(f"{len(files)} contracts (seed {args.seed}), one `pfs settle --register` each")

    sqlite = os.path.join(WORK, f"register-bench-{os.getpid()}.sqlite")
    seconds, verify = record_all(pfs, files, sqlite)
    size = os.path.getsize(sqlite) / 2**20
    print(f"  SQLite:     {seconds:7.1f} s  ({seconds / len(files) * 1000:5.1f} ms per contract), "
          f"register {size:.1f} MiB, `register verify` {verify:.1f} s")
    os.remove(sqlite)

    if args.postgres:
        name = f"pfs_bench_{os.getpid()}"
        import_url = args.postgres.rsplit("/", 1)[0] + "/" + name
        subprocess.run(["psql", args.postgres, "-qc", f"CREATE DATABASE {name}"], check=True)
        seconds, verify = record_all(pfs, files, import_url)
        print(f"  PostgreSQL: {seconds:7.1f} s  ({seconds / len(files) * 1000:5.1f} ms per contract), "
              f"`register verify` {verify:.1f} s")
        subprocess.run(["psql", args.postgres, "-qc", f"DROP DATABASE {name}"], check=True)


if __name__ == "__main__":
    main()
