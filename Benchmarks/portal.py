#!/usr/bin/env python3
"""The portal under load: 50 simulated members on a PostgreSQL register for 60 seconds.

    python3 Benchmarks/portal.py [--members 50] [--seconds 60] [--skip-build] [--binary PFS]
                                 [--postgres postgres://pfs:pfs@127.0.0.1:5432/pfs_test]

Makes a new database on the server, a register with five shipped contracts (each with its
city, evaluation firm and provider, every year with data settled), starts `pfs serve`
(release build) on loopback, sets up the administrator and one account per member through
the portal's own pages (bcrypt, TOTP), then runs one thread per member for the given time:
page views (70%), statement downloads (18%), copies made again as workbooks (2%) and, for
members who sign, sign-offs (10%):
review, approve, issue or record a payment, signed with the member's Ed25519 key as the
page's script signs. Prints requests per second, p50/p95/p99 latency per kind, errors, and
checks after the run that `pfs register verify` passes and that every sign-off the clients
saw recorded is in the register (events lost: 0).
"""
import argparse
import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import random
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from cryptography.hazmat.primitives import serialization

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "correct horse battery staple"
CONTRACTS = [
    ("maebashi-profit-share", {"maebashi": "city", "provider": "provider", "evaluator": "firm"}),
    ("hachioji-colorectal-screening-sib", {"hachioji": "city", "provider": "provider", "evaluator": "firm"}),
    ("example-comparison-group", {"ministry": "city", "provider": "provider", "evaluator": "firm"}),
    ("example-per-unit-threshold", {"county": "city", "provider": "provider", "evaluator": "firm"}),
    ("example-weighted-estimate", {"prefecture": "city", "provider": "provider", "evaluator": "firm"}),
]


def pfs(binary, *arguments, cwd):
    run = subprocess.run([binary, *arguments], cwd=cwd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"pfs {' '.join(arguments[:3])} … failed: {run.stderr[-1500:]}")
    return run.stdout


def totp(secret):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


class Client:
    """One member's browser, without the browser: cookies, forms, the JSON API."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = None

    def request(self, path, data=None, headers=None, method=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def form(self, path, fields):
        return self.request(path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    @staticmethod
    def field(html, name):
        match = re.search(rf'name="{name}" value="([^"]*)"', html)
        return match.group(1) if match else ""

    def take_up(self, link):
        _, page = self.request(link[len(self.base):])
        html = page.decode()
        secret = re.search(r'<code id="secret">([A-Z2-7]+)</code>', html).group(1)
        status, _ = self.form("/invitation", {"csrf": self.field(html, "csrf"), "token": self.field(html, "token"),
                                              "password": PASSWORD, "confirm": PASSWORD, "code": totp(secret)})
        assert status == 200, f"setting up an account answered {status}"
        return secret

    def sign_in(self, account, secret):
        _, page = self.request("/sign-in")
        status, page = self.form("/sign-in", {"csrf": self.field(page.decode(), "csrf"), "account": account,
                                              "password": PASSWORD, "code": totp(secret)})
        assert status == 200, f"sign-in of {account} answered {status}"
        self.csrf = self.field(page.decode(), "csrf")

    def sign_off(self, path, key, extra=None):
        """The page script's loop; returns the final status and the statuses of every round."""
        public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        body = {"publicKey": base64.b64encode(public).decode(), "statements": {}, **(extra or {})}
        rounds = []
        for _ in range(6):
            start = time.perf_counter()
            status, answer = self.request(path, json.dumps(body).encode(),
                                          {"Content-Type": "application/json", "X-CSRF-Token": self.csrf}, "POST")
            rounds.append((status, time.perf_counter() - start))
            if status != 428:
                return status, rounds
            wanted = json.loads(answer)["sign"]
            for statement in wanted["statements"]:
                body["statements"][statement["sha256"]] = base64.b64encode(
                    key.sign(base64.b64decode(statement["bytes"]))).decode()
            if "event" in wanted:
                body["event"] = base64.b64encode(key.sign(base64.b64decode(wanted["event"]))).decode()
                body["at"] = wanted["at"]
        return status, rounds


def set_up(binary, folder, url, members_per_contract):
    """The register: organisations, members and keys, bindings, every year settled."""
    register = ["--register", url]
    pfs(binary, "register", "init", "--authority-key", "authority.pem", *register, cwd=folder)
    authority = ["--authority-key", "authority.pem", *register]
    members = []
    for index, (contract, parties) in enumerate(CONTRACTS):
        shutil.copy(os.path.join(ROOT, "Contracts", contract + ".xml"), os.path.join(folder, f"{contract}.xml"))
        for org, kind in [("city", "public-body"), ("firm", "evaluation-firm"), ("provider", "provider")]:
            pfs(binary, "register", "organisation", "add", f"{org}-{index}", "--kind", kind, "--name-ja", f"{org}{index}",
                "--name-en", f"{org} {index}", *authority, cwd=folder)
        # Of every five members: two finance officers, an evaluator, two contractors.
        pattern = ["city", "firm", "provider", "city", "provider"]
        for number in range(members_per_contract):
            org = pattern[number % len(pattern)]
            member = f"{org}-{index}-m{number}"
            pfs(binary, "register", "member", "add", member, "--organisation", f"{org}-{index}", "--name-ja", member,
                "--name-en", member, *authority, cwd=folder)
            pfs(binary, "key", "generate", "--out", f"{member}.pem", cwd=folder)
            pfs(binary, "key", "add", "--member", member, "--public", f"{member}.pem.pub", *authority, cwd=folder)
            members.append({"name": member, "org": org, "contract": contract})
        pfs(binary, "register", "bind", f"{contract}.xml",
            *[argument for party, org in parties.items() for argument in ("--party", f"{party}={org}-{index}")],
            *authority, cwd=folder)
        finance = next(m["name"] for m in members if m["contract"] == contract and m["org"] == "city")
        with open(os.path.join(folder, f"{contract}.xml"), encoding="utf-8") as handle:
            years = sorted({int(y) for y in re.findall(r'<actual year="(\d+)"', handle.read())})
        for year in years:
            subprocess.run([binary, "settle", f"{contract}.xml", "--year", str(year), "--key", f"{finance}.pem",
                            *register], cwd=folder, capture_output=True)
    return members


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--postgres", default="postgres://pfs:pfs@127.0.0.1:5432/pfs_test")
    parser.add_argument("--binary", help="a pfs binary to run instead of the release build")
    args = parser.parse_args()
    if not args.skip_build and not args.binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "pfs", "--traits", "PostgreSQL"], cwd=ROOT, check=True)
    binary = os.path.abspath(args.binary) if args.binary else os.path.join(ROOT, ".build", "release", "pfs")
    folder = tempfile.mkdtemp(prefix="pfs-portal-bench-")
    name = f"pfs_bench_portal_{os.getpid()}"
    url = args.postgres.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["psql", args.postgres, "-qc", f"CREATE DATABASE {name}"], check=True)
    server = None
    try:
        members = set_up(binary, folder, url, args.members // len(CONTRACTS))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([binary, "serve", "--register", url, "--listen", f"127.0.0.1:{port}"], cwd=folder,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        link = None
        while link is None:
            line = server.stdout.readline()
            if not line:
                sys.exit("pfs serve stopped before printing its link")
            match = re.search(r"(http://\S+/invitation/\S+)", line)
            link = match.group(1) if match else None
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        admin = Client(base)
        admin.sign_in("administrator", admin.take_up(link))
        for member in members:
            _, page = admin.form("/admin/accounts", {"csrf": admin.csrf, "member": member["name"], "language": "ja"})
            invitation = re.search(r'<code id="invitation-link">([^<]+)</code>', page.decode()).group(1)
            client = Client(base)
            client.sign_in(member["name"], client.take_up(invitation))
            with open(os.path.join(folder, f"{member['name']}.pem"), "rb") as handle:
                member["key"] = serialization.load_pem_private_key(handle.read(), password=None)
            member["client"] = client
        before = int(subprocess.run(["psql", url, "-tAc", "SELECT COUNT(*) FROM events"], capture_output=True,
                                    text=True).stdout)
        print(f"{len(members)} members signed in on {len(CONTRACTS)} contracts; load for {args.seconds:.0f} s")

        samples = {"page": [], "download": [], "copy (xlsx)": [], "sign-off request": []}
        counts = {"errors": 0, "recorded": 0, "refused": 0}
        answers = {}
        lock = threading.Lock()
        stop = time.perf_counter() + args.seconds

        def work(member):
            client, rng = member["client"], random.Random(member["name"])
            _, body = client.request(f"/api/contracts/{member['contract']}")
            view = json.loads(body)
            statements = [s["id"] for s in view["statements"]] or [0]
            copies = [s["id"] for s in view["statements"]
                      if s["format"] in ("html", "json") and s["document"] in ("settlement", "audit", "payout")] or [0]
            years = [y["year"] for y in view["years"]] or [0]
            while time.perf_counter() < stop:
                roll = rng.random()
                if roll < 0.1 and member["org"] in ("city", "firm"):
                    year = rng.choice(years)
                    _, body = client.request(f"/api/contracts/{member['contract']}")
                    state = next((y for y in json.loads(body)["years"] if y["year"] == year), None)
                    if state is None:
                        continue
                    action = {"settled": "review", "reviewed": "approve", "approved": "issue",
                              "issued": "pay", "partly-paid": "pay"}.get(state["state"])
                    if action is None or (action == "review") != (member["org"] == "firm"):
                        action = "review" if member["org"] == "firm" else "approve"
                    extra = {}
                    if action == "pay":
                        due = next((d for d in state["dues"] if not d["paid"]), None)
                        if due is None:
                            continue
                        extra = {"payment": {"payer": due["payer"], "payee": due["payee"], "amount": due["amount"],
                                             "date": time.strftime("%Y-%m-%d"), "reference": f"bench-{rng.random()}"}}
                    status, rounds = client.sign_off(
                        f"/api/contracts/{member['contract']}/years/{year}/{action}", member["key"], extra)
                    with lock:
                        samples["sign-off request"] += [seconds for _, seconds in rounds]
                        counts["errors"] += sum(1 for code, _ in rounds if code >= 500)
                        counts["recorded" if status == 200 else "refused"] += 1
                    continue
                if roll < 0.28:
                    kind, path = "download", f"/statements/{rng.choice(statements)}"
                elif roll < 0.3:
                    kind, path = "copy (xlsx)", f"/statements/{rng.choice(copies)}/as/xlsx"
                else:
                    kind = "page"
                    path = rng.choice(["/", f"/contracts/{member['contract']}",
                                       f"/contracts/{member['contract']}/years/{rng.choice(years)}"])
                start = time.perf_counter()
                status, _ = client.request(path)
                elapsed = time.perf_counter() - start
                with lock:
                    samples[kind].append(elapsed)
                    answers.setdefault(kind, {}).setdefault(status, 0)
                    answers[kind][status] += 1
                    if status >= 500 or status in (401, 403):
                        counts["errors"] += 1

        threads = [threading.Thread(target=work, args=(member,)) for member in members]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        total = sum(len(values) for values in samples.values())
        print(f"  {total} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests per second, "
              f"errors {counts['errors']}")
        for kind, values in samples.items():
            statuses = ", ".join(f"{code}: {n}" for code, n in sorted(answers.get(kind, {}).items()))
            print(f"  {kind:17} {len(values):6}  p50 {percentile(values, 0.5):7.1f} ms  "
                  f"p95 {percentile(values, 0.95):7.1f} ms  p99 {percentile(values, 0.99):7.1f} ms"
                  + (f"  ({statuses})" if statuses else ""))
        print(f"  sign-offs recorded {counts['recorded']}, refused (the state had moved on) {counts['refused']}")
        server.terminate()
        server.wait(timeout=10)
        server = None
        after = subprocess.run(["psql", url, "-tAc",
                                f"SELECT COUNT(*) FROM events WHERE seq > {before} AND kind IN "
                                "('reviewed', 'approved', 'issued', 'paid')"], capture_output=True, text=True).stdout
        lost = counts["recorded"] - int(after)
        verify = subprocess.run([binary, "register", "verify", "--register", url], capture_output=True, text=True)
        print(f"  events lost {lost}; `pfs register verify`: {'passes' if verify.returncode == 0 else 'FAILS'}")
    finally:
        if server is not None:
            server.terminate()
        subprocess.run(["psql", args.postgres, "-qc", f"DROP DATABASE IF EXISTS {name}"])


if __name__ == "__main__":
    main()
