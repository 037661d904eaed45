"""Five company documents: values, OKRs, strategy memo, pricing sheet (HTML) and the org chart."""

from __future__ import annotations

from pathlib import Path

from .people import PEOPLE, STAFF

VALUES = """# Northwind Robotics: our values

1. **Customers' floors first.** A robot that stops a customer's shipment is our emergency, whatever else is on fire.
2. **Say the hard thing early.** Bad news travels fast and without decoration, to customers and to each other.
3. **Sustainable pace.** We win over years, not weekends. Heroics are a signal that the system needs fixing.
4. **Own the outcome.** Whoever finds a problem owns it until it has a clear owner.
5. **Frugal with cash, generous with credit.** Spend like it's our money; praise in public.
"""

OKRS = """# Company OKRs: Q4 2026

## Objective 1: Grow recurring revenue efficiently
- KR1: Net new ARR of $1.5M in Q4 (at 1.1M on Nov 20).
- KR2: Net revenue retention >= 115% (118% today).
- KR3: Keep combined discounts at or below 12% on every deal.

## Objective 2: Be the most reliable fleet on the floor
- KR1: Fleet uptime >= 98.5% across all customer sites (Pinecrest Tacoma: 94.1% in November).
- KR2: Zero P1 incidents open longer than 24 hours.
- KR3: Fleet OS 5.0 generally available by February 1.

## Objective 3: A team that wants to stay
- KR1: Engagement score >= 78 company-wide; no team below 70 (Engineering at 63).
- KR2: No engineer on call more than one weekend in four.
- KR3: Hire a VP Marketing and two SREs.
"""

STRATEGY = """# Strategy memo: 2027 (draft for the board, Dana Whitfield)

**Where we play.** Mid-size distributors (3PLs, grocery, medical and pharma distribution) with 50-500k sq ft
DCs, who cannot staff peak season and cannot afford a multi-year systems-integration project.

**How we win.** Robots-as-a-service at $1,000 per unit per month, live in under six weeks, with fleet
software that improves every month. Fleet Analytics is our wedge for expansion revenue.

**2027 priorities**
1. Expansion before acquisition: grow the installed base (Harborview to 52 units, Cascade's Boise site).
2. Reliability as a product: 98.5% uptime, published per customer. The Pinecrest outages are our warning.
3. Pharma cold chain: validate 2-8 degree operation with Meridian as the design partner.
4. Efficient growth: 12 net new hires, not 20; burn below $1.2M per month; Series C in H2 2027.

**Risks.** Lidar supply (single supplier, 10-week lead times), engineering burnout, discount creep.
"""


def _pricing_html() -> str:
    rows = [
        ("NW-200 AMR, robots-as-a-service", "$1,000 per unit per month ($12,000 per year)", "Includes maintenance and software"),
        ("Fleet Analytics add-on", "$250 per unit per month ($3,000 per year)", "Heatmaps, pick-path analytics, reports"),
        ("Onboarding and site survey", "$15,000 one-time per site", "Waived for expansions of 20+ units"),
        ("Premium support (24/7, 4h on-site)", "$150 per unit per month", "Required for medical and pharma"),
    ]
    body = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in rows)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Northwind Robotics price list 2026</title></head>
<body>
<h1>Northwind Robotics: price list (effective November 18, 2026)</h1>
<table border="1"><thead><tr><th>Item</th><th>Price</th><th>Notes</th></tr></thead><tbody>{body}</tbody></table>
<h2>Discounts</h2>
<ul>
<li>2-year term: 5% off list.</li>
<li>3-year term: 10% off list.</li>
<li>Volume above 50 units: 8% off list.</li>
<li><strong>Combined discounts are capped at 12%</strong> (decision of November 18, 2026).</li>
</ul>
<p>Example: 40 units on a 1-year term = $480,000 per year; on a 2-year term = $456,000 per year.</p>
</body></html>
"""


def _org_chart() -> str:
    lines = ["Northwind Robotics: organization chart (November 2026)", ""]

    def walk(key: str, depth: int) -> None:
        person = PEOPLE[key]
        lines.append(f"{'    ' * depth}{person.name}, {person.role} ({person.team}) <{person.email}>")
        for child in (p for p in STAFF if p.reports_to == key):
            walk(child.key, depth + 1)

    walk("dana", 0)
    return "\n".join(lines) + "\n"


def write(out: Path) -> list[str]:
    files = {
        "company-values.md": VALUES,
        "okrs-2026-q4.md": OKRS,
        "strategy-memo-2027.md": STRATEGY,
        "pricing-2026.html": _pricing_html(),
        "org-chart.txt": _org_chart(),
    }
    for name, text in files.items():
        (out / name).write_text(text)
    return [f"docs/{name}" for name in files]
