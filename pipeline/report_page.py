"""The HTML report: one self-contained page a sales lead can open and read top to bottom.

Order of the page is the order of a reader's questions: what run is this (date, environment,
batches), what are the headline figures, what do the charts say, and only then the full tables.
Money is never added across currencies, so every headline amount is shown per currency. Charts
are inline SVG: no plotting library, no network, nothing for a browser to fetch.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol


class Table(Protocol):
    """What the page needs of a report section's result."""

    @property
    def columns(self) -> list[str]: ...

    @property
    def rows(self) -> list[tuple[Any, ...]]: ...


@dataclass(frozen=True)
class RunFacts:
    """Which run and which data the page describes."""

    generated_at: datetime
    environment: str
    batches: tuple[str, ...]  # loaded batch ids, oldest first
    last_loaded_at: datetime | None


def number(value: Any) -> str:
    """One spelling per value: thousands separators, money to the cent, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def distinct_labels(pairs: Sequence[tuple[Any, str | None]], kind: str) -> list[str]:
    """Names for chart bars, with the id added wherever a name is missing or not unique, so
    two designs both called "Velvet" are two labels a reader can tell apart."""
    counts = Counter(name for _, name in pairs)
    return [f"{name} (#{key})" if name and counts[name] > 1 else (name or f"{kind} #{key}")
            for key, name in pairs]


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float | int],
              width: int = 720) -> str:
    """A horizontal bar chart as inline SVG, each bar with its formatted value."""
    bar_h, gap, top = 22, 6, 32
    label_w = min(320, 24 + 7 * max((len(label) for label in labels), default=8))
    height = top + len(labels) * (bar_h + gap) + 10
    peak = max(values, default=0) or 1
    span = width - label_w - 110
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{html.escape(title)}">',
             f'<text x="0" y="18" font-weight="bold">{html.escape(title)}</text>']
    if not labels:
        parts.append(f'<text x="0" y="{top + 14}" fill="#666">No data yet</text>')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar_h + gap)
        w = max(1, round(span * value / peak))
        parts += [f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">'
                  f'{html.escape(label)}</text>',
                  f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#4a7dbf"/>',
                  f'<text x="{label_w + w + 6}" y="{y + 16}">{number(value)}</text>']
    parts.append("</svg>")
    return "\n".join(parts)


def per_currency(rows: Iterable[tuple[Any, ...]], currency: int, amount: int) -> dict[str, Any]:
    """Sum one column per currency, in currency order."""
    totals: dict[str, Any] = defaultdict(int)
    for row in rows:
        totals[str(row[currency])] += row[amount] or 0
    return dict(sorted(totals.items()))


MONEY_COLUMNS = ("Revenue", "Purchase spend", "Receipts paid", "Receipts outstanding")


def headline(tables: dict[str, Table]) -> list[tuple[str, str]]:
    """The counts a reader wants before any table: (label, value)."""
    sales = tables["sales_by_month_country"].rows
    return [("Sales orders", number(sum(int(r[3]) for r in sales))),
            ("Units sold", number(sum(int(r[4]) for r in sales))),
            ("Suppliers", number(len({r[0] for r in tables["purchases_by_supplier"].rows})))]


def money_by_currency(tables: dict[str, Table]) -> list[tuple[str, ...]]:
    """One row per currency: (code, *MONEY_COLUMNS), formatted; money is never summed across
    currencies, so this is the headline for amounts."""
    receipts = [r for r in tables["payments_by_type"].rows if r[0] == "SALES_RECEIPT"]
    columns = [per_currency(tables["sales_by_month_country"].rows, 2, 5),
               per_currency(tables["purchases_by_supplier"].rows, 2, 5),
               per_currency(receipts, 1, 3), per_currency(receipts, 1, 5)]
    codes = sorted(set().union(*columns))
    return [(code, *(number(Decimal(c.get(code, 0))) for c in columns)) for code in codes]


def _money_table(rows: list[tuple[str, ...]]) -> str:
    head = "<th>Currency</th>" + "".join(f'<th class="n">{c}</th>' for c in MONEY_COLUMNS)
    body = "".join("<tr><td>" + html.escape(row[0]) + "</td>" + "".join(
        f'<td class="n">{v}</td>' for v in row[1:]) + "</tr>" for row in rows)
    return f'<table class="money"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _facts(facts: RunFacts) -> list[tuple[str, str]]:
    batches = facts.batches
    if not batches:
        loaded = "none yet"
    elif len(batches) == 1:
        loaded = batches[0]
    else:
        loaded = f"{len(batches):,} ({batches[0]} to {batches[-1]})"
    last = f"{facts.last_loaded_at:%Y-%m-%d %H:%M} UTC" if facts.last_loaded_at else "never"
    return [("Generated", f"{facts.generated_at:%Y-%m-%d %H:%M} UTC"),
            ("Environment", facts.environment), ("Batches loaded", loaded),
            ("Last load", last)]


def _definition_list(items: list[tuple[str, str]], css: str) -> str:
    return f'<dl class="{css}">' + "".join(
        f"<div><dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd></div>"
        for k, v in items) + "</dl>"


def _table(title: str, table: Table) -> str:
    numeric = [any(isinstance(r[i], int | Decimal | float) and not isinstance(r[i], bool)
                   for r in table.rows) for i in range(len(table.columns))]
    css = [' class="n"' if n else "" for n in numeric]
    head = "".join(f"<th{c}>{html.escape(name.replace('_', ' '))}</th>"
                   for name, c in zip(table.columns, css, strict=True))
    body = "\n".join("<tr>" + "".join(
        f"<td{c}>{html.escape(number(v))}</td>" for v, c in zip(row, css, strict=True))
        + "</tr>" for row in table.rows)
    count = f"{len(table.rows):,} rows"
    return (f"<h3>{html.escape(title)} <small>{count}</small></h3>\n"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
dl{display:flex;flex-wrap:wrap;gap:.5em 2em;margin:0 0 1.5em}dl div{min-width:10em}
dt{font-size:.8em;color:#666;text-transform:uppercase}dd{margin:0;font-size:1.05em}
dl.headline dd{font-size:1.4em;font-weight:600}table.money td{font-size:1.1em}
table{border-collapse:collapse;margin-bottom:2em}th{text-align:left;text-transform:capitalize}
td,th{border-bottom:1px solid #ddd;padding:3px 10px}.n{text-align:right;
font-variant-numeric:tabular-nums}small{color:#666;font-weight:normal}"""


def render(facts: RunFacts, titled: Sequence[tuple[str, str, Table]]) -> str:
    """The page for (name, title, table) sections, in the order a reader wants them."""
    tables = {name: table for name, _, table in titled}
    designs = tables["top_designs"].rows
    months: dict[str, int] = defaultdict(int)
    for row in tables["sales_by_month_country"].rows:
        months[str(row[0])] += int(row[3])
    charts = [
        bar_chart("Units sold by design (top 10)",
                  distinct_labels([(r[0], r[1]) for r in designs], "design"),
                  [int(r[3]) for r in designs]),
        bar_chart("Sales orders by month (last 12)", list(months)[-12:],
                  list(months.values())[-12:]),
    ]
    sections = "\n".join(_table(title, table) for _, title, table in titled)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sales report: {html.escape(
        facts.environment)}, {facts.generated_at:%Y-%m-%d}</title>
<style>{_STYLE}</style></head>
<body><h1>Sales report</h1>
{_definition_list(_facts(facts), "facts")}
<h2>Headline figures</h2>
{_definition_list(headline(tables), "headline")}
{_money_table(money_by_currency(tables))}
<h2>Charts</h2>
{"".join(charts)}
<h2>Tables</h2>
{sections}
</body></html>
"""
