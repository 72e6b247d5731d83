"""The report: CSV files that match the warehouse, an HTML page with a chart, terminal tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from pipeline import report
from pipeline.session import Session
from pipeline.settings import Settings
from pipeline.warehouse import load
from tests.pipeline import goldendata as g

B1, B2 = "20240301T000000Z", "20240302T000000Z"


def _csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_report_outputs_match_the_warehouse(
        golden_warehouse: tuple[Settings, str], tmp_path: Path) -> None:
    settings, url = golden_warehouse
    out = tmp_path / "report"
    terminal = Console(file=io.StringIO(), width=200)

    result = report.run(Session.of(settings, warehouse_url=url, out_dir=out), console=terminal)

    assert _csv(out / "sales_by_month_country.csv") == [
        ["month", "country", "currency_code", "orders", "units_sold", "revenue"],
        ["2024-01", "United Kingdom", "GBP", "1", "12", "30.00"],
        ["2024-01", "United States", "USD", "1", "5", "20.00"],
        ["2024-02", "United Kingdom", "GBP", "1", "3", "7.50"],
    ]
    assert _csv(out / "top_designs.csv") == [
        ["design_id", "design_name", "orders", "units_sold"],
        ["1", "Oak Chair", "2", "15"],
        ["2", "Steel Lamp", "1", "5"],
    ]
    assert _csv(out / "purchases_by_supplier.csv") == [
        ["counterparty_id", "supplier", "currency_code", "orders", "item_quantity", "spend"],
        ["1", "Acme Ltd", "GBP", "2", "110", "115.00"],
        ["2", "Globex Inc", "USD", "1", "20", "100.00"],
    ]
    assert _csv(out / "payments_by_type.csv") == [
        ["payment_type_name", "currency_code", "paid_payments", "paid_amount",
         "unpaid_payments", "unpaid_amount"],
        ["PURCHASE_PAYMENT", "GBP", "1", "110.00", "0", "0.00"],
        ["PURCHASE_PAYMENT", "USD", "0", "0.00", "1", "100.00"],
        ["SALES_RECEIPT", "GBP", "1", "25.00", "0", "0.00"],
        ["SALES_RECEIPT", "USD", "1", "20.00", "0", "0.00"],
    ]
    # the CSV totals agree with the warehouse tables they summarise
    revenue = g.fetch(url, "SELECT sum(revenue) FROM warehouse.agg_sales_daily")[0][0]
    rows = _csv(out / "sales_by_month_country.csv")[1:]
    assert sum(g.D(r[5]) for r in rows) == revenue
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "<svg" in page and "Oak Chair" in page and "Purchases by supplier" in page
    printed = terminal.file.getvalue()  # type: ignore[attr-defined]
    assert "Sales by month and country" in printed and "Globex Inc" in printed
    assert result.rows_out == 3 + 2 + 2 + 4
    assert len(result.details["files"]) == 5


def test_report_on_an_empty_warehouse(make_database: Callable[[], str], storage_root: str,
                                      tmp_path: Path) -> None:
    settings, url = g.settings_for(storage_root), make_database()
    load.run(Session.of(settings, warehouse_url=url))  # migrations only: nothing processed yet

    result = report.run(Session.of(settings, warehouse_url=url, out_dir=tmp_path),
                        console=Console(file=io.StringIO()))

    assert result.rows_out == 0
    assert _csv(tmp_path / "top_designs.csv") == [
        ["design_id", "design_name", "orders", "units_sold"]]
    assert "<svg" in (tmp_path / "report.html").read_text(encoding="utf-8")
