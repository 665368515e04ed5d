#!/usr/bin/env python3
"""Settles every year of every contract with two pfs binaries and compares the JSON.

    Benchmarks/differential.py REFERENCE_PFS CANDIDATE_PFS DIR_OR_FILE...

For each contract, `pfs settle CONTRACT --all --format json` (every settleable year's
settlement, every amount) must print the same bytes, exit with the same status and say the
same on standard error with both binaries. Used to show that a change to the evaluator
(the term as one pass, issue 12) leaves every figure as it was: build the commit before
the change into another folder, then run this with both binaries.
"""
import os
import subprocess
import sys


def contracts(paths):
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith(".xml"):
                    yield os.path.join(path, name)
        else:
            yield path


def settle(binary, contract):
    run = subprocess.run([binary, "settle", contract, "--all", "--format", "json"], capture_output=True)
    return run.returncode, run.stdout, run.stderr


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    reference, candidate = argv[1], argv[2]
    compared = differing = 0
    for contract in contracts(argv[3:]):
        compared += 1
        before, after = settle(reference, contract), settle(candidate, contract)
        if before != after:
            differing += 1
            print(f"{contract}: differs (exit {before[0]} → {after[0]}, {len(before[1])} → {len(after[1])} bytes)")
    print(f"{compared} contracts compared, {differing} differing")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
