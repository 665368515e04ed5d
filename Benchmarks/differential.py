#!/usr/bin/env python3
"""Settles every year of every contract with two pfs binaries and compares the JSON.

    Benchmarks/differential.py [--ignore KEY]... REFERENCE_PFS CANDIDATE_PFS DIR_OR_FILE...

For each contract, `pfs settle CONTRACT --all --format json` (every settleable year's
settlement, every amount) must print the same bytes, exit with the same status and say the
same on standard error with both binaries. Used to show that a change to the evaluator
(the term as one pass, issue 12) leaves every figure as it was: build the commit before
the change into another folder, then run this with both binaries. `--ignore KEY` leaves a
member of each settlement out of the comparison (one the candidate adds, say).
"""
import json
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


def settle(binary, contract, ignored):
    run = subprocess.run([binary, "settle", contract, "--all", "--format", "json"], capture_output=True)
    output = run.stdout
    if ignored and run.returncode == 0:
        settlements = json.loads(output)
        for settlement in settlements if isinstance(settlements, list) else [settlements]:
            for key in ignored:
                settlement.pop(key, None)
        output = json.dumps(settlements, sort_keys=True).encode()
    return run.returncode, output, run.stderr


def main(argv):
    arguments, ignored = argv[1:], []
    while len(arguments) >= 2 and arguments[0] == "--ignore":
        ignored.append(arguments[1])
        arguments = arguments[2:]
    if len(arguments) < 3:
        sys.exit(__doc__)
    reference, candidate = arguments[0], arguments[1]
    compared = differing = 0
    for contract in contracts(arguments[2:]):
        compared += 1
        before, after = settle(reference, contract, ignored), settle(candidate, contract, ignored)
        if before != after:
            differing += 1
            print(f"{contract}: differs (exit {before[0]} → {after[0]}, {len(before[1])} → {len(after[1])} bytes)")
    print(f"{compared} contracts compared, {differing} differing")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
