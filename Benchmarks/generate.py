#!/usr/bin/env python3
"""Writes a reproducible synthetic portfolio of pfs contracts (format version 1).

    Benchmarks/generate.py --seed 42 --contracts 10000 --out DIR
    Benchmarks/generate.py --seed 42 --large --kpis 1000 --years 30 --out DIR

Each contract has a realistic mix: KPIs that are money (lower is better) and KPIs valued
per unit (higher is better), a baseline, expected and actual values for every year of the
term, three projects sharing KPIs by attribution shares, several providers, a payer and an
evaluator. The same seed always gives byte-identical files.
"""
import argparse
import os
import random


def contract_xml(rng, index, kpis, years, projects, rich=False, first=2020, policy=None):
    last = first + years - 1
    out = []
    w = out.append
    w('<?xml version="1.0" encoding="UTF-8"?>\n')
    w(f'<contract xmlns="urn:pfs:contract:1" format-version="1" id="synthetic-{index:05d}">\n')
    w(f'  <title ja="合成契約 {index}" en="Synthetic contract {index}"/>\n')
    w('  <amounts currency="JPY" scale="1000" label-ja="千円" label-en="thousand yen"/>\n')
    w(f'  <rounding increment="1" mode="{rng.choice(["down", "half-up", "half-even", "up"])}"/>\n')
    w('  <fiscal-year start-month="4"/>\n')
    w(f'  <term first="{first}" last="{last}"/>\n')
    w('  <parties>\n')
    w('    <party id="city" role="public-sector"><name ja="市" en="City"/></party>\n')
    providers = [f"provider-{p}" for p in range(1, 4)]
    for p in providers:
        w(f'    <party id="{p}" role="provider"><name ja="事業者{p[-1]}" en="Provider {p[-1]}"/></party>\n')
    w('    <party id="investor" role="investor"><name en="Investor"/></party>\n')
    w('    <party id="evaluator" role="evaluator"><name ja="評価機関" en="Evaluator"/></party>\n')
    w('  </parties>\n  <kpis>\n')
    # Rich contracts: a year or two not measured (declared), a policy for negative years,
    # sometimes a reward maximum and outcome payments, to exercise everything carried
    # from one year to the next.
    skipped = set(rng.sample(range(first + 1, last + 1), min(years - 1, rng.randint(0, 2)))) if rich and years > 1 else set()
    for k in range(kpis):
        money = k % 2 == 0
        direction = "lower-is-better" if money else "higher-is-better"
        unit = "千円" if money else "persons"
        w(f'    <kpi id="kpi-{k}" direction="{direction}" unit="{unit}">\n')
        w(f'      <name ja="指標{k}" en="Indicator {k}"/>\n')
        if money:
            w('      <money/>\n')
        else:
            w(f'      <value-per-unit amount="{rng.randint(1, 500)}.{rng.randint(0, 9)}" source="unit cost study"/>\n')
        base = rng.randint(1_000, 1_000_000)
        w(f'      <baseline year="{first - 1}" value="{base}" source="settlement of accounts {first - 1}"/>\n')
        for y in range(first, last + 1):
            growth = base * (1 + rng.uniform(-0.02, 0.06) * (y - first + 1))
            expected = round(growth, 1)
            actual = round(growth * rng.uniform(0.9, 1.1), 1)
            if rich and y in skipped:
                w(f'      <not-measured year="{y}" reason="survey suspended"/>\n')
                continue
            w(f'      <expected year="{y}" value="{expected}" source="plan {y}"/>\n')
            w(f'      <actual year="{y}" value="{actual}" source="survey {y}"/>\n')
        w('    </kpi>\n')
    if rich:
        # A KPI measured only, for outcome payments.
        w('    <kpi id="outcome" direction="higher-is-better" unit="%">\n      <name en="Outcome rate"/>\n')
        w('      <baseline year="%d" value="20"/>\n' % (first - 1))
        for y in range(first, last + 1):
            w(f'      <actual year="{y}" value="{rng.randint(10, 60)}.{rng.randint(0, 9)}"/>\n')
        w('    </kpi>\n')
    policy = policy or (rng.choice(["floor", "carry-forward", "claw-back"]) if rich else None)
    maximum = f' reward-maximum="{rng.randint(100, 5000)}"' if rich and rng.random() < 0.5 else ""
    w('  </kpis>\n')
    w(f'  <projects negative-improvement="{policy}"{maximum}>\n' if policy else '  <projects>\n')
    # Each KPI is shared by up to all projects; shares of one KPI sum to at most 1.
    credits = {p: [] for p in range(projects)}
    for k in range(kpis):
        remaining = 100
        for p in rng.sample(range(projects), rng.randint(1, projects)):
            share = rng.randint(0, remaining)
            remaining -= share
            credits[p].append((k, share))
    for p in range(projects):
        if not credits[p]:
            credits[p].append((p % kpis, 0))
        w(f'    <project id="project-{p}" payer="city">\n      <name en="Project {p}"/>\n')
        for k, share in credits[p]:
            w(f'      <credit kpi="kpi-{k}" share="{share / 100:.2f}"/>\n')
        chosen = rng.sample(providers, rng.randint(1, 2))
        for provider in chosen:
            w(f'      <provider-share party="{provider}" share="0.{rng.randint(5, 45):02d}"/>\n')
        w('    </project>\n')
    w('  </projects>\n')
    if rich and rng.random() < 0.7:
        w(f'  <payments maximum="{rng.randint(2000, 20000)}">\n')
        w(f'    <year-limit year="{first + 1}" maximum="{rng.randint(100, 3000)}"/>\n')
        for y in range(first, last + 1):
            if y in skipped:
                continue
            kind = rng.choice(["fixed", "threshold", "band", "proportional"])
            payees = rng.sample(providers, rng.randint(1, 2))
            payee = f' payee="{payees[0]}"' if len(payees) == 1 else ""
            w(f'    <payment id="pay-{y}" payer="city"{payee} year="{y}"' + ('' if kind == "fixed" else ' kpi="outcome"') + f' cap="{rng.randint(200, 2000)}">\n')
            w(f'      <name en="Payment {y}"/>\n')
            if len(payees) > 1:
                w(f'      <payee party="{payees[0]}" share="0.6"/><payee party="{payees[1]}" share="0.4"/>\n')
            if kind == "fixed":
                w(f'      <fixed amount="{rng.randint(20, 150)}"/>\n')
            elif kind == "threshold":
                w(f'      <threshold at="{rng.randint(20, 50)}" amount="{rng.randint(100, 1500)}"/>\n')
            elif kind == "band":
                w(f'      <band start-at="15" full-at="55" amount="{rng.randint(100, 2500)}"/>\n')
            else:
                w(f'      <proportional target="40" amount="{rng.randint(100, 2500)}"/>\n')
            w('    </payment>\n')
        w('  </payments>\n')
    w('</contract>\n')
    return "".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--large", action="store_true", help="one contract of --kpis KPIs over --years years")
    parser.add_argument("--kpis", type=int, default=10)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--projects", type=int, default=3)
    parser.add_argument("--rich", action="store_true",
                        help="also policies for negative years, reward maxima, years not measured and outcome payments")
    parser.add_argument("--first-year", type=int, default=2020, help="the term's first fiscal year (1900 for a 300-year term)")
    parser.add_argument("--policy", choices=["floor", "carry-forward", "claw-back"], help="the negative-improvement policy of every contract")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    count = 1 if args.large else args.contracts
    for index in range(count):
        rng = random.Random(f"{args.seed}-{index}")
        name = "large.xml" if args.large else f"synthetic-{index:05d}.xml"
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            f.write(contract_xml(rng, index, args.kpis, args.years, args.projects, args.rich, args.first_year, args.policy))


if __name__ == "__main__":
    main()
