#!/usr/bin/env python3
"""A whole year in the portal, in real Chromium (Debian's), by four members in four browser
contexts: the administrator records the organisations, members, keys and bindings (signed
with the authority's key) and sets up accounts, the finance officer settles, the evaluator
reviews, the finance officer approves, issues and records the payment, each signing in the
browser with WebCrypto from their PEM key file; the contractor sees only its own payout statement. Then `pfs register
verify` and OpenSSL check what was recorded and issued, and axe-core checks every page.

Run by scripts/browser-tests (and .ci/run): python3 Tests/Browser/portal_year.py PFS OUT
"""
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

from playwright.sync_api import sync_playwright
from axe_playwright_python.sync_playwright import Axe

PFS = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/pfs")
OUT = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "Tests/Browser/output")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTRACT = os.path.join(ROOT, "Contracts", "maebashi-profit-share.xml")
PASSWORD = "correct horse battery staple"
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def pfs(*arguments, cwd):
    run = subprocess.run([PFS, *arguments], cwd=cwd, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"pfs {' '.join(arguments)} failed ({run.returncode}): {run.stderr}")
    return run.stdout


def totp(secret_base32, at=None):
    """RFC 6238 with SHA-1, 30-second steps, 6 digits, as an authenticator app computes it."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def set_up_register(folder):
    """Only what is not done in a browser: the register and its authority key (the city's
    administrator keeps it), and each member's key pair, generated where the member is."""
    shutil.copy(CONTRACT, os.path.join(folder, "m.xml"))
    pfs("register", "init", "--authority-key", "authority.pem", "--register", "r.sqlite", cwd=folder)
    for member in ["finance", "evaluator", "contractor"]:
        pfs("key", "generate", "--out", f"{member}.pem", cwd=folder)
    with open(os.path.join(folder, "c.xml"), "w", encoding="utf-8") as out:
        out.write(GROWING_CONTRACT)
    # FY2022 of the second contract still lacks its actual value: the finance officer takes
    # the department's table in and settles the year in the browser.
    with open(os.path.join(folder, "actuals-2022.csv"), "w", encoding="utf-8") as out:
        out.write("指標,年度,実績値,出典\ncost,2022,700,担当課集計\n")


def becomes_visible(page, selector):
    """Whether `selector` becomes visible: the page's script shows a kept key once IndexedDB
    answers, after the page has loaded."""
    try:
        page.wait_for_selector(selector, state="visible", timeout=10000)
        return True
    except Exception:
        return False


def authority_change(page, base, action, fields, files=None, key=None):
    """Opens one change's page, fills its form and signs it with the authority's key — the
    file when `key` is given (kept in the browser from then on), else the key kept there —
    and waits until the portal goes back to the list."""
    page.goto(base + f"/admin/organisations/{action}")
    if key:
        page.set_input_files("#authority-key", key)
        page.check("#keep-authority")
    else:
        check(becomes_visible(page, "#kept-authority"), f"the {action} page says the authority's kept key will sign")
    section = f"#task-{action}"
    for name, value in fields.items():
        selector = f"{section} [name={name}]"
        if page.locator(selector).evaluate("e => e.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    for name, path in (files or {}).items():
        page.set_input_files(f"{section} [name={name}]", path)
    page.locator(f"{section} .status").evaluate("e => e.textContent = ''")
    page.click(f"{section} button.sign")
    try:
        page.wait_for_url(base + "/admin/organisations", timeout=20000)
        check(True, f"the administrator recorded {action} {fields} in the browser")
    except Exception:
        check(False, f"the administrator recorded {action} {fields} in the browser ({page.inner_text(section + ' .status')})")


def set_up_in_browser(admin, base, folder):
    """The administrator, signing with the authority's key in the browser: the city, the
    evaluation firm and the provider, a member and its public key each, and both contracts'
    parties bound (from the contracts' files: the register holds neither yet)."""
    key = os.path.join(folder, "authority.pem")
    for org, kind, ja, en in [
        ("city", "public-body", "前橋市", "Maebashi City"),
        ("firm", "evaluation-firm", "評価機関", "Evaluation firm"),
        ("provider-co", "provider", "事業者", "Provider"),
    ]:
        authority_change(admin, base, "organisation", {"id": org, "kind": kind, "nameJa": ja, "nameEn": en}, key=key)
        key = None  # kept in the browser from the first change on
    for member, org in [("finance", "city"), ("evaluator", "firm"), ("contractor", "provider-co")]:
        authority_change(admin, base, "member", {"id": member, "organisation": org, "nameJa": member, "nameEn": member})
        authority_change(admin, base, "key", {"member": member}, {"publicKey": os.path.join(folder, f"{member}.pem.pub")})
    for contract, parties in [("m.xml", [("maebashi", "city"), ("evaluator", "firm"), ("provider", "provider-co")]),
                              ("c.xml", [("city", "city"), ("evaluator", "firm"), ("provider", "provider-co")])]:
        for party, org in parties:
            authority_change(admin, base, "binding", {"party": party, "organisation": org},
                             {"contractFile": os.path.join(folder, contract)})
    listed = admin.inner_text("#trust")
    check("provider-co" in listed and "maebashi" in listed, "the list shows what was recorded")


def settle_first_year(finance, base, folder, contract, file, year):
    """The finance officer settles a contract's first year from its home page, with its file."""
    finance.goto(base + "/")
    section = f"#task-first-{contract}"
    finance.set_input_files(f"{section} [name=contractFile]", os.path.join(folder, file))
    finance.fill(f"{section} [name=year]", str(year))
    finance.set_input_files(f"#key-first-{contract}", os.path.join(folder, "finance.pem"))
    finance.click(f"{section} button.sign")
    finance.wait_for_selector(f"a[href='/contracts/{contract}']", timeout=20000)
    check(True, f"the finance officer settled {contract} FY{year}, its first year, in the browser")


GROWING_CONTRACT = """<?xml version="1.0" encoding="UTF-8"?>
<contract xmlns="urn:pfs:contract:1" format-version="1" id="growing">
  <title ja="医療費適正化事業（例）" en="Health cost programme (example)"/>
  <amounts currency="JPY" scale="1"/>
  <rounding increment="1" mode="down"/>
  <fiscal-year start-month="4"/>
  <term first="2020" last="2023"/>
  <parties>
    <party id="city" role="public-sector"><name ja="市" en="City"/></party>
    <party id="provider" role="provider"><name ja="事業者" en="Provider"/></party>
    <party id="evaluator" role="evaluator"><name ja="評価機関" en="Evaluator"/></party>
  </parties>
  <kpis>
    <kpi id="cost" direction="lower-is-better" unit="yen"><name ja="医療費" en="cost"/><money/>
      <baseline year="2019" value="1000" source="決算"/>
      <expected year="2020" value="1000" source="推計"/><actual year="2020" value="900" source="決算"/>
      <expected year="2021" value="1000" source="推計"/><actual year="2021" value="800" source="決算"/>
      <expected year="2022" value="1000" source="推計"/>
      <expected year="2023" value="1000" source="推計"/>
    </kpi>
  </kpis>
  <projects negative-improvement="carry-forward">
    <project id="programme" payer="city"><name ja="事業" en="Programme"/><credit kpi="cost" share="1"/>
      <provider-share party="provider" share="0.2"/></project>
  </projects>
</contract>
"""


def set_up_account(page, link, shots, name):
    """Takes up a one-time link: password twice and the code of the key the page shows."""
    page.goto(link)
    secret = page.inner_text("#secret").strip()
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.fill("#code", totp(secret))
    page.screenshot(path=os.path.join(shots, f"set-up-{name}.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_url("**/sign-in")
    return secret


def sign_in(page, base, account, secret):
    page.goto(base + "/sign-in")
    page.fill("#account", account)
    page.fill("#password", PASSWORD)
    page.fill("#code", totp(secret))
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def sign(page, action, key_file, expected_state, keep=False):
    """Loads the key file in the page (none: the key kept in the browser signs) and lets its
    script sign until the year moves on."""
    if key_file:
        page.set_input_files(f"#key-{action}", key_file)
    if keep:
        page.check(f"#keep-{action}")
    page.click(f"#task-{action} button.sign")
    page.wait_for_function(
        "expected => document.querySelector('#year-state') && document.querySelector('#year-state').textContent.includes(expected)",
        arg=expected_state, timeout=20000)


def api_schema_conforms(base, context, page, who):
    """schemathesis against /api/openapi.json on the live server, as `who`: no 5xx, and every
    answer's status, content type and body as the document says."""
    headers = []
    if context is not None:
        session = next(c["value"] for c in context.cookies() if c["name"] == "pfs_session")
        page.goto(base + "/")
        csrf = page.get_attribute("input[name=csrf]", "value")
        headers = ["-H", f"Cookie: pfs_session={session}", "-H", f"X-CSRF-Token: {csrf}"]
    run = subprocess.run(
        [shutil.which("st") or "st", "run", base + "/api/openapi.json", *headers,
         "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
         "--max-examples", "25", "--phases", "examples,coverage,fuzzing", "--request-timeout", "10",
         "--seed", "1", "--no-color"],
        capture_output=True, text=True, cwd=tempfile.gettempdir())  # its .hypothesis cache stays out of the project
    tail = "\n".join(run.stdout.strip().splitlines()[-12:])
    summary = [line.strip() for line in run.stdout.splitlines() if "test cases" in line or "generated" in line.lower()]
    print(f"     schemathesis as {who}: {' / '.join(summary[-2:])}")
    check(run.returncode == 0, f"schemathesis as {who}: the API answers as its OpenAPI document says" +
          ("" if run.returncode == 0 else "\n" + tail + run.stderr[-2000:]))


def main():
    os.makedirs(OUT, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="pfs-browser-")
    set_up_register(folder)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([PFS, "serve", "--register", "r.sqlite", "--listen", f"127.0.0.1:{port}"], cwd=folder,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        link = None
        deadline = time.time() + 30
        while time.time() < deadline and link is None:
            line = server.stdout.readline()
            match = re.search(r"(http://\S+/invitation/\S+)", line)
            if match:
                link = match.group(1)
        check(link is not None, "pfs serve prints a one-time link for the first administrator")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            axe = Axe()
            pages_checked = []

            def accessible(page, name):
                results = axe.run(page)
                violations = results.response["violations"]
                pages_checked.append(name)
                check(not violations, f"axe: no violation on {name}" + (
                    "" if not violations else ": " + ", ".join(f"{v['id']} ({v['impact']})" for v in violations)))

            contexts = {}

            def context(name):
                contexts[name] = browser.new_context(locale="ja-JP")
                return contexts[name].new_page()

            admin = context("administrator")
            admin_secret = set_up_account(admin, link, OUT, "administrator")
            accessible(admin, "sign-in")
            sign_in(admin, base, "administrator", admin_secret)
            set_up_in_browser(admin, base, folder)
            accessible(admin, "organisations, members and keys")
            admin.screenshot(path=os.path.join(OUT, "organisations.png"), full_page=True)
            admin.goto(base + "/admin/organisations/binding")
            accessible(admin, "a change of the authority's (binding)")
            admin.screenshot(path=os.path.join(OUT, "authority-change.png"), full_page=True)
            admin.goto(base + "/admin/accounts")
            accessible(admin, "accounts")
            links = {}
            for member in ["finance", "evaluator", "contractor"]:
                admin.select_option("#member", member)
                admin.click("form[action='/admin/accounts'] button[type=submit]")
                links[member] = admin.inner_text("#invitation-link").strip()
            admin.screenshot(path=os.path.join(OUT, "accounts.png"), full_page=True)

            members = {}
            for member in ["finance", "evaluator", "contractor"]:
                page = context(member)
                secret = set_up_account(page, links[member], OUT, member)
                sign_in(page, base, member, secret)
                members[member] = page

            finance = members["finance"]
            finance.goto(base + "/")
            accessible(finance, "contracts with a first year to settle (finance officer)")
            finance.screenshot(path=os.path.join(OUT, "first-year.png"), full_page=True)
            settle_first_year(finance, base, folder, "maebashi-profit-share", "m.xml", 2024)
            settle_first_year(finance, base, folder, "growing", "c.xml", 2021)

            year = base + "/contracts/maebashi-profit-share/years/2024"
            evaluator = members["evaluator"]
            evaluator.goto(year)
            accessible(evaluator, "year (evaluator)")
            evaluator.screenshot(path=os.path.join(OUT, "year-evaluator.png"), full_page=True)
            sign(evaluator, "review", os.path.join(folder, "evaluator.pem"), "検証済")
            check(True, "the evaluator reviewed and signed in the browser")

            finance.goto(year)
            sign(finance, "approve", os.path.join(folder, "finance.pem"), "承認済", keep=True)
            # From here the key kept in the browser signs: stored non-extractable, no file chosen.
            kept = finance.evaluate("""() => new Promise((resolve) => {
                const opening = indexedDB.open("pfs-keys", 1);
                opening.onsuccess = () => {
                  const get = opening.result.transaction("keys").objectStore("keys").get("member:finance");
                  get.onsuccess = () => resolve(get.result ? [get.result.key.extractable, get.result.key.type] : null);
                };
              })""")
            check(kept == [False, "private"], f"the finance officer's key is kept in the browser, not extractable ({kept})")
            check(becomes_visible(finance, "#task-issue .kept"), "the page says the kept key will sign")
            sign(finance, "issue", None, "発行済")
            finance.fill("#reference-pay", "振込 2025-0630")
            finance.fill("#date-pay", "2025-06-30")
            sign(finance, "pay", None, "支払済")
            finance.screenshot(path=os.path.join(OUT, "year-paid.png"), full_page=True)
            check(True, "the finance officer approved, issued and recorded the payment in the browser")
            finance.goto(base + "/")
            accessible(finance, "contracts (finance officer)")
            finance.goto(base + "/contracts/growing")
            finance.select_option("#year-settle", "2022")
            finance.set_input_files("#actuals-settle", os.path.join(folder, "actuals-2022.csv"))
            finance.click("#task-settle button.preview")
            finance.wait_for_function(
                "() => document.querySelector('#task-settle .preview-lines').textContent.includes('FY2022')")
            shown = finance.inner_text("#task-settle .preview-lines")
            check("+ KPI cost FY2022 actual 700" in shown, f"the table's change is shown before signing ({shown!r})")
            finance.screenshot(path=os.path.join(OUT, "settle-preview.png"), full_page=True)
            accessible(finance, "contract with the settle task (finance officer)")
            finance.set_input_files("#key-settle", os.path.join(folder, "finance.pem"))
            finance.click("#task-settle button.sign")
            finance.wait_for_selector("a[href='/contracts/growing/years/2022']", timeout=20000)
            check(True, "the finance officer took the table in and settled FY2022 in the browser")
            finance.goto(base + "/budget")
            accessible(finance, "budget (finance officer)")
            finance.screenshot(path=os.path.join(OUT, "budget.png"), full_page=True)
            finance.goto(base + "/contracts/maebashi-profit-share")
            accessible(finance, "contract (finance officer)")
            finance.screenshot(path=os.path.join(OUT, "contract-finance.png"), full_page=True)

            contractor = members["contractor"]
            contractor.goto(base + "/contracts/maebashi-profit-share")
            contractor.screenshot(path=os.path.join(OUT, "contract-contractor.png"), full_page=True)
            accessible(contractor, "contract (contractor)")
            listed = contractor.locator(
                "a[href^='/statements/']:not([href$='/signatures']):not([href*='/as/'])").all_inner_texts()
            check(listed and all(text == "支払額確定通知書" for text in listed),
                  f"the contractor sees only its payout statements ({listed})")
            # Copies to work with, from the links the page shows: a workbook and a PDF of its payout.
            for link, kind, magic in [("/as/xlsx", "spreadsheetml", b"PK"), ("/as/pdf", "application/pdf", b"%PDF-")]:
                href = contractor.locator(f"a[href$='{link}']").first.get_attribute("href")
                response = contexts["contractor"].request.get(base + href)
                check(response.status == 200 and kind in response.headers["content-type"] and response.body().startswith(magic),
                      f"the contractor downloads its payout statement {link[4:]} ({response.status})")
            # The contractor's signatures page: download its files, run the OpenSSL commands it shows.
            payout_link = contractor.locator("a[href$='/signatures']").first.get_attribute("href")
            contractor.goto(base + payout_link)
            accessible(contractor, "signatures (contractor)")
            contractor.screenshot(path=os.path.join(OUT, "signatures-contractor.png"), full_page=True)
            checked_folder = os.path.join(folder, "contractor-check")
            os.makedirs(checked_folder, exist_ok=True)
            for link in contractor.locator("a[href*='/files/']").all():
                response = contexts["contractor"].request.get(base + link.get_attribute("href"))
                with open(os.path.join(checked_folder, link.inner_text().strip()), "wb") as out:
                    out.write(response.body())
            commands = contractor.inner_text("pre code").strip().splitlines()
            outputs = [subprocess.run(command, shell=True, cwd=checked_folder, capture_output=True, text=True)
                       for command in commands]
            verified = [run for run in outputs if "Signature Verified Successfully" in run.stdout]
            check(len(commands) == 7 and len(verified) == 6 and all(run.returncode == 0 for run in outputs),
                  f"the contractor's OpenSSL commands, as the page shows them, verify its statement's chain "
                  f"({len(verified)} of {len(commands) - 1} signatures)")
            api = json.loads(contractor.evaluate(
                "async () => (await fetch('/api/contracts/maebashi-profit-share')).text()"))
            check({s["document"] for s in api["statements"]} == {"payout"}, "the API gives the contractor its payouts only")
            settlement = json.loads(finance.evaluate(
                "async () => (await fetch('/api/contracts/maebashi-profit-share')).text()"))
            settlement_id = next(s["id"] for s in settlement["statements"] if s["document"] == "settlement")
            status = contractor.evaluate(f"async () => (await fetch('/statements/{settlement_id}')).status")
            check(status == 404, f"the annual settlement by guessed id is 404 to the contractor (got {status})")
            # The HTML statements pfs writes, as a party opens them (two contracts, every document, both languages).
            reader = context("statements")
            for contract in ["maebashi-profit-share", "example-sib"]:
                folder_of_reports = os.path.join(ROOT, "Reports", contract)
                for name in sorted(os.listdir(folder_of_reports)):
                    if name.endswith(".html"):
                        reader.goto("file://" + os.path.join(folder_of_reports, name))
                        accessible(reader, f"statement {contract}/{name}")
            for account in ["finance", "contractor"]:
                api_schema_conforms(base, contexts[account], members[account], account)
            api_schema_conforms(base, None, None, "nobody signed in")
            for name, ctx in contexts.items():
                ctx.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    verify = subprocess.run([PFS, "register", "verify", "--register", "r.sqlite"], cwd=folder, capture_output=True, text=True)
    check(verify.returncode == 0, "pfs register verify: the history is whole " + verify.stdout.strip().splitlines()[-1:].__str__())
    pfs("issue", "m.xml", "--year", "2024", "--output", "issued", "--register", "r.sqlite", cwd=folder)
    issued = os.path.join(folder, "issued", "maebashi-profit-share")
    checked = 0
    for root, _, files in os.walk(issued):
        for name in files:
            match = re.match(r"(.+)\.([A-Za-z0-9._-]+)\.sig$", name)
            if not match or name.endswith(".pem.sig") or name.endswith(".binding.sig"):
                continue
            statement, party = os.path.join(root, match.group(1)), match.group(2)
            certificate = os.path.join(issued, "keys", f"{party}.pem")
            public = os.path.join(folder, f"{party}-public.pem")
            # The authority's certificate of the signer's key ends in the key itself.
            with open(certificate) as text:
                body = text.read()
            with open(public, "w") as out:
                out.write(body[body.find("-----BEGIN PUBLIC KEY-----"):])
            run = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", public, "-rawin", "-in", statement,
                                  "-sigfile", os.path.join(root, name)], capture_output=True, text=True)
            check(run.returncode == 0 and "Signature Verified Successfully" in run.stdout,
                  f"openssl verifies {os.path.relpath(os.path.join(root, name), issued)}")
            checked += 1
    check(checked >= 6, f"the issued statements carry the evaluator's and the finance officer's signatures ({checked} checked)")
    print(f"axe checked: {', '.join(pages_checked)}")
    if failures:
        print(f"{len(failures)} browser check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("browser tests: all passed")


if __name__ == "__main__":
    main()
