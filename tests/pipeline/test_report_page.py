"""The report as a reader sees it: labels that tell designs apart, numbers formatted, the run's
facts and headline figures before any table, terminal values never cut, and the HTML page
rendered by a real headless Chromium with no console errors."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from pipeline import report, report_page
from pipeline.session import Session
from pipeline.settings import Settings
from tests.emulators import install

B1, B2 = "20240301T000000Z", "20240302T000000Z"
FACTS = report_page.RunFacts(datetime(2026, 12, 2, 9, 30, tzinfo=UTC), "prod",
                             (B1, B2), datetime(2026, 12, 2, 9, 29, tzinfo=UTC))


def _results(**rows: list[tuple]) -> list[report.Result]:
    columns = {
        "sales_by_month_country": ["month", "country", "currency_code", "orders", "units_sold",
                                   "revenue"],
        "top_designs": ["design_id", "design_name", "orders", "units_sold"],
        "purchases_by_supplier": ["counterparty_id", "supplier", "currency_code", "orders",
                                  "item_quantity", "spend"],
        "payments_by_type": ["payment_type_name", "currency_code", "paid_payments",
                             "paid_amount", "unpaid_payments", "unpaid_amount"]}
    return [report.Result(s, columns[s.name], rows.get(s.name, [])) for s in report.SECTIONS]


BIG = _results(
    sales_by_month_country=[("2024-01", "United Kingdom", "GBP", 1200, 15000,
                             Decimal("42949786.12")),
                            ("2024-02", "United States", "USD", 3, 9, Decimal("1234.50"))],
    top_designs=[(3, "Velvet", 4, 40), (7, "Velvet", 2, 20), (9, None, 1, 5)],
    purchases_by_supplier=[(1, "Kub, Schmidt and Quitzon Incorporated Holdings", "GBP", 2, 110,
                            Decimal("9876543.21"))],
    payments_by_type=[("PURCHASE_PAYMENT", "GBP", 1, Decimal("110.00"), 2, Decimal("5.00")),
                      ("SALES_RECEIPT", "GBP", 10, Decimal("25000.00"), 3, Decimal("750.25"))])


def test_designs_with_the_same_name_get_distinct_labels() -> None:
    assert report_page.distinct_labels([(3, "Velvet"), (7, "Velvet"), (9, None), (4, "Oak")],
                                       "design") == [
        "Velvet (#3)", "Velvet (#7)", "design #9", "Oak"]


@pytest.mark.parametrize(("value", "text"), [
    (1234567, "1,234,567"), (Decimal("42949786.1"), "42,949,786.10"), (0, "0"),
    (True, "yes"), (None, ""), ("PURCHASE_PAYMENT", "PURCHASE_PAYMENT")])
def test_numbers_are_formatted_for_reading(value: object, text: str) -> None:
    assert report_page.number(value) == text


def test_headline_counts_and_money_per_currency() -> None:
    tables = {r.section.name: r for r in BIG}
    assert report_page.headline(tables) == [
        ("Sales orders", "1,203"), ("Units sold", "15,009"), ("Suppliers", "1")]
    assert report_page.money_by_currency(tables) == [
        ("GBP", "42,949,786.12", "9,876,543.21", "25,000.00", "750.25"),
        ("USD", "1,234.50", "0.00", "0.00", "0.00"),
    ]


def test_the_page_reads_facts_then_figures_then_charts_then_tables() -> None:
    page = report_page.render(FACTS, [(r.section.name, r.section.title, r) for r in BIG])

    body = page[page.index("<body>"):]
    order = [body.index(marker) for marker in (
        "Environment", "prod", B2, "Headline figures", "42,949,786.12", "<svg",
        "Velvet (#3)", "Velvet (#7)", "Sales by month and country", "<td>2024-01</td>")]
    assert order == sorted(order)
    assert "2026-12-02 09:30 UTC" in page and "2 (20240301T000000Z to 20240302T000000Z)" in page


def test_the_terminal_never_cuts_a_value_off_a_terminal() -> None:
    log = Console(file=io.StringIO(), width=80)  # what a cloud log sees

    report.print_tables(BIG, log)

    printed = log.file.getvalue()  # type: ignore[attr-defined]
    for whole in ("42,949,786.12", "9,876,543.21", "PURCHASE_PAYMENT",
                  "Kub, Schmidt and Quitzon Incorporated Holdings", "United Kingdom"):
        assert whole in printed
    assert "…" not in printed


@pytest.fixture(scope="session")
def chromium() -> Path:
    try:
        return install.ensure_chromium()
    except install.InstallError as exc:
        pytest.fail(f"cannot install Chromium for the report's browser test: {exc}",
                    pytrace=False)


# The flags a sandboxed root machine with no network needs (no background fetches at start).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.mark.slow
def test_the_html_report_renders_in_a_real_browser(
        chromium: Path, golden_warehouse: tuple[Settings, str], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    settings, url = golden_warehouse
    report.run(Session.of(settings, warehouse_url=url, out_dir=tmp_path),
               console=Console(file=io.StringIO()))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            problems: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: None if r.url.startswith("file:") else problems.append(
                f"fetched {r.url}"))
            page.goto((tmp_path / "report.html").as_uri())
            shot = page.screenshot(full_page=True)
            tops = page.evaluate("""() => ['dl.facts', 'dl.headline', 'table.money', 'svg',
                'h3 + table'].map(s => document.querySelector(s).getBoundingClientRect().top)""")
            bars = page.evaluate("() => document.querySelectorAll('svg rect').length")
            title = page.title()
        finally:
            browser.close()

    assert problems == []
    assert shot.startswith(b"\x89PNG") and len(shot) > 20_000
    assert tops == sorted(tops) and tops[0] > 0
    assert bars == 2 + 2  # two designs, two months in the golden data
    assert title.startswith("Sales report: local, ")
