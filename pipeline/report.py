"""The dashboard: sales, purchases and payments from the warehouse, as terminal tables, CSV
files and one self-contained HTML page (``pipeline.report_page``).

It reads the aggregates (and dimensions for names) rather than the facts, so the report shows
the latest version of every order and payment, the same numbers a BI tool would. Amounts in
different currencies are never added together: every money column is split by currency.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table

from pipeline.report_page import RunFacts, number, render
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


def query(warehouse_url: str, environment: str) -> tuple[list[Result], RunFacts]:
    """Run every section, and read which batches are loaded, in one read-only snapshot, so
    the sections and the page's facts agree with each other."""
    results = []
    with psycopg.connect(warehouse_url) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for section in SECTIONS:
            cur = conn.execute(section.query)
            columns = [d.name for d in cur.description or []]
            results.append(Result(section, columns, cur.fetchall()))
        batches = conn.execute("SELECT batch_id, max(loaded_at) FROM warehouse.load_ledger "
                               "GROUP BY batch_id ORDER BY batch_id").fetchall()
    last = max((b[1] for b in batches), default=None)
    facts = RunFacts(datetime.now(UTC), environment, tuple(b[0] for b in batches),
                     last.astimezone(UTC) if last else None)
    return results, facts


def write_csv(result: Result, out_dir: Path) -> Path:
    path = out_dir / f"{result.section.name}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(result.columns)
        writer.writerows([_text(v) for v in row] for row in result.rows)
    return path


def write_html(results: list[Result], facts: RunFacts, out_dir: Path) -> Path:
    path = out_dir / "report.html"
    page = render(facts, [(r.section.name, r.section.title, r) for r in results])
    path.write_text(page, encoding="utf-8")
    return path


TERMINAL_ROWS = 25  # the terminal shows the head of each section; the CSV holds every row


def print_tables(results: list[Result], console: Console) -> None:
    """Each section's head as a table whose values are never cut: numbers keep their full
    width, text wraps on a terminal, and off one (a cloud log) a table is as wide as it needs."""
    for result in results:
        hidden = max(0, len(result.rows) - TERMINAL_ROWS)
        caption = f"{hidden:,} more rows in {result.section.name}.csv" if hidden else None
        table = Table(title=result.section.title, caption=caption)
        shown = [[number(v) for v in row] for row in result.rows[:TERMINAL_ROWS]]
        for i, column in enumerate(result.columns):
            numeric = any(isinstance(r[i], int | Decimal) and not isinstance(r[i], bool)
                          for r in result.rows)
            widest = max((len(r[i]) for r in shown), default=0)
            table.add_column(column, justify="right" if numeric else "left", overflow="fold",
                             no_wrap=numeric, min_width=widest if numeric else None)
        for row in shown:
            table.add_row(*row)
        if console.is_terminal:
            console.print(table)
            continue
        narrow = console.width  # rich never prints wider than its console, so widen it
        console.width = max(narrow, console.measure(
            table, options=console.options.update_width(10_000)).maximum)
        try:
            console.print(table)
        finally:
            console.width = narrow


def run(session: Session, console: Console | None = None) -> StageResult:
    """Query the warehouse once and write the terminal tables, CSV files and HTML page
    (to ``session.reports_dir``)."""
    started = time.perf_counter()
    out_dir = session.reports_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    results, facts = query(session.warehouse_url, session.settings.environment)
    files = [write_csv(r, out_dir) for r in results]
    files.append(write_html(results, facts, out_dir))
    print_tables(results, console or Console())
    rows = sum(len(r.rows) for r in results)
    return StageResult("report", rows, rows, time.perf_counter() - started, 0,
                       {"files": [str(f) for f in files],
                        "environment": session.settings.environment})
