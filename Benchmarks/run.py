#!/usr/bin/env python3
"""pfs benchmark: settles a synthetic portfolio and compares with xmllint's
parse-and-validate time over the same files (the floor for any XML-based engine).

    python3 Benchmarks/run.py [--contracts 10000] [--seed 42] [--skip-build] [--repeat N] [--only a,c]

Needs xmllint (Debian package libxml2-utils). Prints, per workload, wall time, CPU time (user
+ system, both cores), throughput, peak memory (max RSS of the pfs process) and the ratios to
xmllint's wall and CPU time over the same files in the same run. Files are generated
under .build-bench/ (ignored by git) and reused for the same seed and size.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".build-bench")
SCHEMA = os.path.join(ROOT, "Contracts", "schema", "pfs-contract-1.xsd")


def run(command, **kwargs):
    """Runs a command; returns (seconds, peak RSS in MiB, CPU seconds: user + system)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(command[:3])} … failed with status {code}:\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def xmllint(files):
    """xmllint --noout --schema over the files, 500 per process, on both cores (like pfs)."""
    """Returns (seconds, CPU seconds over every process)."""
    start = time.perf_counter()
    batches = [files[i:i + 500] for i in range(0, len(files), 500)]
    running, cpu = [], 0.0
    for batch in batches:
        running.append(subprocess.Popen(["xmllint", "--noout", "--schema", SCHEMA] + batch,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        if len(running) == os.cpu_count():
            cpu += wait(running.pop(0))
    for process in running:
        cpu += wait(process)
    return time.perf_counter() - start, cpu


def wait(process):
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("xmllint found an invalid file: the generator is broken")
    return usage.ru_utime + usage.ru_stime


def generate(directory, arguments):
    marker = os.path.join(directory, ".complete")
    if os.path.exists(marker):
        return
    shutil.rmtree(directory, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "generate.py"), "--out", directory] + arguments, check=True)
    open(marker, "w").close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--only", default="a,a',a'',b,c",
                        help="the workloads to run, by letter: a (the ledger), a' (with statements), a'' (statements "
                             "to tmpfs), b (one large contract), c (pfs check)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each workload (and xmllint beside it) this many times; the fastest run is shown, "
                             "the others in brackets (this machine's disk varies by half between runs)")
    args = parser.parse_args()
    if shutil.which("xmllint") is None:
        sys.exit("xmllint not found: apt-get install -y libxml2-utils")
    if not args.skip_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "pfs"], cwd=ROOT, check=True)
    pfs = os.path.join(ROOT, ".build", "release", "pfs")

    portfolio = os.path.join(WORK, f"portfolio-{args.seed}-{args.contracts}")
    large = os.path.join(WORK, f"large-{args.seed}")
    generate(portfolio, ["--seed", str(args.seed), "--contracts", str(args.contracts)])
    generate(large, ["--seed", str(args.seed), "--large", "--kpis", "1000", "--years", "30"])
    files = sorted(os.path.join(portfolio, f) for f in os.listdir(portfolio) if f.endswith(".xml"))
    large_files = [os.path.join(large, "large.xml")]
    size = sum(os.path.getsize(f) for f in files) / 2**20

    print(f"pfs benchmark — {os.cpu_count()} cores, seed {args.seed}")
    print(f"portfolio: {len(files)} contracts, {size:.1f} MiB of XML; large: 1 contract, 1000 KPIs x 30 years, "
          f"{os.path.getsize(large_files[0]) / 2**20:.1f} MiB\n")
    rows = []

    volumes = []

    wanted = set(args.only.split(","))

    def workload(letter, name, command, inputs, contracts, output=os.path.join(WORK, "statements")):
        if letter not in wanted:
            return
        runs = []
        for attempt in range(max(1, args.repeat)):
            shutil.rmtree(output, ignore_errors=True)
            os.sync()  # the previous run's files and deletions are on disk before this one starts
            seconds, peak, cpu = run([c.replace("{OUT}", output) for c in command])
            floor, floor_cpu = xmllint(inputs)
            runs.append((seconds, peak, floor, cpu, floor_cpu))
            if attempt == 0 and os.path.isdir(output):
                sizes = [os.path.getsize(os.path.join(d, f)) for d, _, names in os.walk(output) for f in names]
                volumes.append(f"{name}: {len(sizes)} files, {sum(sizes) / 2**20:.1f} MiB written")
            shutil.rmtree(output, ignore_errors=True)
        seconds, peak, floor, cpu, _ = min(runs)
        floor = min(r[2] for r in runs)
        floor_cpu = min(r[4] for r in runs)
        cpu = min(r[3] for r in runs)
        others = [f"{r[0]:.2f}" for r in sorted(runs)[1:]]
        rows.append((name, seconds, contracts / seconds, max(r[1] for r in runs), floor, seconds / floor, cpu,
                     floor_cpu, cpu / floor_cpu, others))

    workload("a", "(a) check + settle all years + write the ledger", [pfs, "portfolio", portfolio, "--output", "{OUT}"],
             files, len(files))
    workload("a'", "(a') the same with --statements (JSON)", [pfs, "portfolio", portfolio, "--output", "{OUT}", "--statements"],
             files, len(files))
    # The same to memory: what is computing, and what is the disk taking the statements.
    if os.path.isdir("/dev/shm"):
        workload("a''", "(a') the same, statements to tmpfs", [pfs, "portfolio", portfolio, "--output", "{OUT}", "--statements"],
                 files, len(files), output=os.path.join("/dev/shm", f"pfs-bench-{os.getpid()}"))
    workload("b", "(b) one large contract, all 30 years", [pfs, "portfolio", large_files[0], "--output", "{OUT}", "--statements"],
             large_files, 1)
    workload("c", "(c) pfs check alone", [pfs, "check", portfolio], files, len(files))

    print(f"{'workload':44} {'wall s':>8} {'contracts/s':>12} {'peak MiB':>9} {'xmllint s':>10} {'ours/xmllint':>13}"
          f" {'CPU s':>8} {'xmllint CPU s':>14} {'CPU ours/xmllint':>17}")
    for name, seconds, rate, peak, floor, ratio, cpu, floor_cpu, cpu_ratio, others in rows:
        slower = f"  [{', '.join(others)}]" if others else ""
        print(f"{name:44} {seconds:8.2f} {rate:12.1f} {peak:9.1f} {floor:10.2f} {ratio:13.2f}"
              f" {cpu:8.2f} {floor_cpu:14.2f} {cpu_ratio:17.2f}{slower}")
    print()
    for line in volumes:
        print(line)
    print("\ntargets: (a) ours/xmllint <= 2 (wall and CPU); (c) <= 1.5; peak < 100 MiB for 10,000 contracts; (b) < 1 s")


if __name__ == "__main__":
    main()
