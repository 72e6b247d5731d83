"""Load into a real PostgreSQL: golden contents, idempotency, history and migrations."""

from __future__ import annotations

from collections.abc import Callable

import psycopg

from pipeline import transform
from pipeline.session import Session
from pipeline.warehouse import load
from tests.pipeline import goldendata as g
from tests.pipeline.recomputed import BY_LAST_UPDATED, kept_and_recomputed

B1, B2 = "20240301T000000Z", "20240302T000000Z"


def _pipeline(settings: g.Settings, url: str) -> None:
    transform.run(Session.of(settings))
    load.run(Session.of(settings, warehouse_url=url))


def test_golden_warehouse(storage_root: str, make_database: Callable[[], str]) -> None:
    settings, url = g.settings_for(storage_root), make_database()
    g.write_batch(settings.raw_uri, B1, g.golden())
    transform.run(Session.of(settings))

    result = load.run(Session.of(settings, warehouse_url=url))

    for table in g.EXPECTED:
        got = g.fetch(url, f"SELECT * FROM warehouse.{table}")
        assert sorted(got, key=str) == sorted(g.with_record_ids(table), key=str), table
    assert result.rows_in == result.rows_out == sum(len(v) for v in g.EXPECTED.values())
    ledger = g.fetch(url, "SELECT DISTINCT batch_id FROM warehouse.load_ledger")
    assert ledger == [(B1,)]
    assert g.fetch(url, "SELECT version, name FROM warehouse.schema_migrations ORDER BY 1") == \
        [(1, "star_schema"), (2, "load_ledger"), (3, "deletes_and_versions")]


def test_transform_and_load_twice_is_byte_identical(
        storage_root: str, make_database: Callable[[], str]) -> None:
    settings, url = g.settings_for(storage_root), make_database()
    g.write_batch(settings.raw_uri, B1, g.golden())
    _pipeline(settings, url)
    first = g.checksums(url)
    ledger = g.fetch(url, "SELECT batch_id, table_name, loaded_at FROM warehouse.load_ledger")

    _pipeline(settings, url)
    second = load.run(Session.of(settings, warehouse_url=url))

    assert g.checksums(url) == first
    assert second.rows_in == 0
    assert g.fetch(url, "SELECT batch_id, table_name, loaded_at FROM warehouse.load_ledger") \
        == ledger


def test_reloading_a_batch_after_losing_the_ledger_adds_nothing(
        storage_root: str, make_database: Callable[[], str]) -> None:
    """Even without the ledger, facts are unique on (id, version) and dimensions upsert."""
    settings, url = g.settings_for(storage_root), make_database()
    g.write_batch(settings.raw_uri, B1, g.golden())
    _pipeline(settings, url)
    first = g.checksums(url)
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM warehouse.load_ledger")

    result = load.run(Session.of(settings, warehouse_url=url))

    assert g.checksums(url) == first
    assert all(result.details["changed"][t] == 0 for t in result.details["changed"]
               if not t.startswith("agg_"))


def test_history_two_versions_latest_dimension_latest_aggregate(
        storage_root: str, make_database: Callable[[], str]) -> None:
    settings, url = g.settings_for(storage_root), make_database()
    data = g.golden()
    g.write_batch(settings.raw_uri, B1, data)
    _pipeline(settings, url)
    g.write_batch(settings.raw_uri, B2, g.history_batch(data))

    _pipeline(settings, url)

    assert g.fetch(url, """SELECT sales_record_id, last_updated_date, last_updated_time,
                              units_sold FROM warehouse.fact_sales_order
                           WHERE sales_order_id = 1 ORDER BY 1""") == [
        (1, g._d("2024-01-02"), g._t("09:15"), 10),
        (4, g._d("2024-03-01"), g._t("10:00"), 12),
    ]
    assert g.fetch(url, "SELECT count(*) FROM warehouse.fact_sales_order") == [(4,)]
    assert g.fetch(url, "SELECT design_name FROM warehouse.dim_design WHERE design_id = 1") == \
        [("Oak Chair",)]
    assert g.fetch(url, "SELECT * FROM warehouse.agg_sales_daily ORDER BY 1, 2") == [
        (g._d("2024-01-02"), 1, "United Kingdom", "GBP", 1, 12, g.D("30.00")),
        (g._d("2024-01-02"), 2, "United States", "USD", 1, 5, g.D("20.00")),
        (g._d("2024-02-05"), 1, "United Kingdom", "GBP", 1, 3, g.D("7.50")),
    ]
    # payment 2 is now paid: the SALES_RECEIPT/USD row moves from unpaid to paid
    assert g.fetch(url, "SELECT * FROM warehouse.agg_payments_monthly ORDER BY 1, 2, 3") == [
        (g._d("2024-01-01"), "PURCHASE_PAYMENT", True, "GBP", 1, g.D("110.00")),
        (g._d("2024-01-01"), "SALES_RECEIPT", True, "GBP", 1, g.D("25.00")),
        (g._d("2024-01-01"), "SALES_RECEIPT", True, "USD", 1, g.D("20.00")),
        (g._d("2024-02-01"), "PURCHASE_PAYMENT", False, "USD", 1, g.D("100.00")),
    ]
    assert g.fetch(url, "SELECT count(*) FROM warehouse.fact_payment") == [(5,)]
    # every fact date resolves in dim_date
    assert g.fetch(url, """SELECT count(*) FROM warehouse.fact_sales_order f
                           LEFT JOIN warehouse.dim_date d ON d.date_id = f.last_updated_date
                           WHERE d.date_id IS NULL""") == [(0,)]


def test_aggregates_match_the_latest_fact_versions(
        storage_root: str, make_database: Callable[[], str]) -> None:
    settings, url = g.settings_for(storage_root), make_database()
    data = g.golden()
    g.write_batch(settings.raw_uri, B1, data)
    g.write_batch(settings.raw_uri, B2, g.history_batch(data))
    _pipeline(settings, url)

    # watermark versions: the latest is the one with the greatest last_updated
    kept, recomputed = kept_and_recomputed(url, BY_LAST_UPDATED)
    assert kept == recomputed


def test_migrations_are_idempotent(make_database: Callable[[], str]) -> None:
    from pipeline.warehouse.migrate import migrate

    url = make_database()
    with psycopg.connect(url, autocommit=True) as conn:
        assert migrate(conn) == [1, 2, 3]
        assert migrate(conn) == []


def test_the_load_does_not_import_the_transform_engine() -> None:
    """The load needs only the processed zone's layout (``transform.outputs``): DuckDB and the
    transform's stage stay out of its process, whose memory is the batch's, not the engine's."""
    import subprocess
    import sys

    probe = ("import sys, pipeline.warehouse.load; "
             "print(sorted(m for m in ('duckdb', 'pipeline.transform.stage') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.strip() == "[]"
