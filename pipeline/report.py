"""The dashboard: sales, purchases and payments from the warehouse, as terminal tables, CSV
files and one self-contained HTML page.

It reads the aggregates (and dimensions for names) rather than the facts, so the report shows
the latest version of every order and payment, the same numbers a BI tool would. Amounts in
different currencies are never added together: every money column is split by currency.
The HTML chart is inline SVG, so the page needs no plotting library and no network.
"""

from __future__ import annotations

import csv
import html
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table

from pipeline.session import Session
from pipeline.stages import StageResult


@dataclass(frozen=True)
class Section:
    """One report: a name (the CSV file stem), a title and the query that produces it."""

    name: str
    title: str
    query: str


SECTIONS: tuple[Section, ...] = (
    Section("sales_by_month_country", "Sales by month and country", """
        SELECT to_char(sale_date, 'YYYY-MM') AS month, country, currency_code,
               sum(orders)::bigint AS orders, sum(units_sold)::bigint AS units_sold,
               sum(revenue)::numeric(14, 2) AS revenue
        FROM warehouse.agg_sales_daily
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""),
    Section("top_designs", "Top designs by units sold", """
        SELECT a.design_id, d.design_name, sum(a.orders)::bigint AS orders,
               sum(a.units_sold)::bigint AS units_sold
        FROM warehouse.agg_sales_daily AS a
        LEFT JOIN warehouse.dim_design AS d ON d.design_id = a.design_id
        GROUP BY 1, 2 ORDER BY units_sold DESC, a.design_id LIMIT 10"""),
    Section("purchases_by_supplier", "Purchases by supplier", """
        SELECT a.counterparty_id, c.counterparty_legal_name AS supplier, a.currency_code,
               sum(a.orders)::bigint AS orders, sum(a.item_quantity)::bigint AS item_quantity,
               sum(a.spend)::numeric(14, 2) AS spend
        FROM warehouse.agg_purchases_monthly AS a
        LEFT JOIN warehouse.dim_counterparty AS c ON c.counterparty_id = a.counterparty_id
        GROUP BY 1, 2, 3 ORDER BY spend DESC, 1, 3"""),
    Section("payments_by_type", "Payments paid and unpaid by type", """
        SELECT payment_type_name, currency_code,
               coalesce(sum(payments) FILTER (WHERE paid), 0)::bigint AS paid_payments,
               coalesce(sum(amount) FILTER (WHERE paid), 0)::numeric(14, 2) AS paid_amount,
               coalesce(sum(payments) FILTER (WHERE NOT paid), 0)::bigint AS unpaid_payments,
               coalesce(sum(amount) FILTER (WHERE NOT paid), 0)::numeric(14, 2)
                   AS unpaid_amount
        FROM warehouse.agg_payments_monthly
        GROUP BY 1, 2 ORDER BY 1, 2"""),
)


@dataclass(frozen=True)
class Result:
    section: Section
    columns: list[str]
    rows: list[tuple[Any, ...]]


def _text(value: Any) -> str:
    """One spelling per value for CSV, terminal and HTML alike."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query(warehouse_url: str) -> list[Result]:
    """Run every section in one read-only snapshot, so the sections agree with each other."""
    results = []
    with psycopg.connect(warehouse_url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for section in SECTIONS:
            cur = conn.execute(section.query)
            columns = [d.name for d in cur.description or []]
            results.append(Result(section, columns, cur.fetchall()))
    return results


def write_csv(result: Result, out_dir: Path) -> Path:
    path = out_dir / f"{result.section.name}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(result.columns)
        writer.writerows([_text(v) for v in row] for row in result.rows)
    return path


def bar_chart(title: str, labels: list[str], values: list[float], width: int = 640) -> str:
    """A horizontal bar chart as inline SVG: enough for a glance, no dependency."""
    bar_h, gap, label_w, top = 22, 6, 180, 30
    height = top + len(labels) * (bar_h + gap) + 10
    peak = max(values, default=0) or 1
    span = width - label_w - 80
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{html.escape(title)}">',
             f'<text x="0" y="18" font-weight="bold">{html.escape(title)}</text>']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar_h + gap)
        w = max(1, round(span * value / peak))
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">'
                     f'{html.escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" '
                     'fill="#4a7dbf"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 16}">{value:g}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _html_table(result: Result) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in result.columns)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(_text(v))}</td>" for v in row) + "</tr>"
        for row in result.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def write_html(results: list[Result], out_dir: Path) -> Path:
    by_name = {r.section.name: r for r in results}
    top = by_name["top_designs"]
    chart = bar_chart(
        "Units sold by design",
        [_text(r[1]) or f"design {r[0]}" for r in top.rows],
        [float(r[3]) for r in top.rows],
    )
    sections = "\n".join(
        f"<h2>{html.escape(r.section.title)}</h2>\n{_html_table(r)}" for r in results)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tricloud sales report</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}}</style></head>
<body><h1>tricloud sales report</h1>
{chart}
{sections}
</body></html>
"""
    path = out_dir / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


TERMINAL_ROWS = 25  # the terminal shows the head of each section; the CSV holds every row


def print_tables(results: list[Result], console: Console) -> None:
    for result in results:
        hidden = max(0, len(result.rows) - TERMINAL_ROWS)
        caption = f"{hidden} more rows in {result.section.name}.csv" if hidden else None
        table = Table(title=result.section.title, caption=caption)
        for column in result.columns:
            numeric = any(isinstance(r[result.columns.index(column)], int | Decimal)
                          for r in result.rows)
            table.add_column(column, justify="right" if numeric else "left")
        for row in result.rows[:TERMINAL_ROWS]:
            table.add_row(*(_text(v) for v in row))
        console.print(table)


def run(session: Session, console: Console | None = None) -> StageResult:
    """Query the warehouse once and write the terminal tables, CSV files and HTML page
    (to ``session.reports_dir``)."""
    started = time.perf_counter()
    out_dir = session.reports_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    results = query(session.warehouse_url)
    files = [write_csv(r, out_dir) for r in results]
    files.append(write_html(results, out_dir))
    print_tables(results, console or Console())
    rows = sum(len(r.rows) for r in results)
    return StageResult("report", rows, rows, time.perf_counter() - started, 0,
                       {"files": [str(f) for f in files],
                        "environment": session.settings.environment})
