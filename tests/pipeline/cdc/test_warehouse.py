"""The cdc source end to end: a real slot, ingest, transform and load into a real warehouse.

Where the source behaves, the warehouse equals the watermark source's (is_deleted false, only
the facts' change positions differ); where it misbehaves, every version and the delete arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from pipeline import ingest, transform
from pipeline.session import Session
from pipeline.settings import Settings, SourceKind
from pipeline.source.cdc import operations
from pipeline.warehouse import load
from tests.pipeline import goldendata as g
from tests.pipeline.cdc import rawzone as rz

POSITION = ("change_lsn", "change_ordinal")


def _run(settings: Settings, source: str, warehouse: str) -> None:
    ingest.run(Session.of(settings, source_url=source))
    transform.run(Session.of(settings))
    load.run(Session.of(settings, warehouse_url=warehouse))


def _contents(url: str) -> dict[str, list[str]]:
    """Every warehouse table's rows as text, without the facts' change positions."""
    out = {}
    with psycopg.connect(url) as conn:
        for table in g.WAREHOUSE_TABLES:
            columns = [r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "'warehouse' AND table_name = %s ORDER BY ordinal_position", (table,))
                if r[0] not in POSITION]
            rows = conn.execute(f"SELECT ({', '.join(columns)})::text FROM warehouse.{table} "
                                "ORDER BY 1").fetchall()
            out[table] = [r[0] for r in rows]
    return out


def _units(url: str, order: int) -> list[tuple[Any, ...]]:
    return g.fetch(url, "SELECT units_sold, is_deleted FROM warehouse.fact_sales_order "
                        f"WHERE sales_order_id = {order} ORDER BY change_lsn, change_ordinal")


def test_the_cdc_warehouse_equals_the_watermarks_then_keeps_every_version_and_delete(
        cdc_source: str, tmp_path: Path, make_database: Callable[[], str]) -> None:
    operations.setup(cdc_source, operations.Names())
    cdc, watermark = rz.settings_for(tmp_path / "cdc"), Settings.local(
        tmp_path / "watermark", source=SourceKind.POSTGRES)
    cdc_url, watermark_url = make_database(), make_database()
    _run(cdc, cdc_source, cdc_url)
    _run(watermark, cdc_source, watermark_url)

    assert _contents(cdc_url) == _contents(watermark_url)
    assert g.fetch(cdc_url, "SELECT count(*) FROM warehouse.fact_sales_order "
                            "WHERE change_lsn IS NULL OR is_deleted") == [(0,)]

    before = {i: _units(cdc_url, i)[0][0] for i in (1, 2, 5)}
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        for statement in (
                "UPDATE sales_order SET units_sold = 901 WHERE sales_order_id = 1",
                "UPDATE sales_order SET units_sold = 902, last_updated = last_updated - "
                "interval '3 days' WHERE sales_order_id = 2",
                "BEGIN", "UPDATE sales_order SET units_sold = 931 WHERE sales_order_id = 3",
                "UPDATE sales_order SET units_sold = 932 WHERE sales_order_id = 3", "COMMIT",
                "UPDATE sales_order SET units_sold = 941, last_updated = now() "
                "WHERE sales_order_id = 4",
                "UPDATE sales_order SET units_sold = 942, last_updated = now() "
                "WHERE sales_order_id = 4",
                "DELETE FROM sales_order WHERE sales_order_id = 5"):
            conn.execute(statement)
    _run(cdc, cdc_source, cdc_url)

    assert [_units(cdc_url, i)[1:] for i in range(1, 6)] == [
        [(901, False)], [(902, False)], [(931, False), (932, False)],
        [(941, False), (942, False)], [(before[5], True)]]
    assert _units(cdc_url, 1)[0] == (before[1], False)
    latest = g.fetch(cdc_url, """
        WITH latest AS (
            SELECT DISTINCT ON (sales_order_id) * FROM warehouse.fact_sales_order
            ORDER BY sales_order_id, change_lsn DESC, change_ordinal DESC)
        SELECT l.created_date, l.design_id, loc.country, c.currency_code, count(*)::int,
               sum(l.units_sold)::bigint, sum(l.units_sold * l.unit_price)::numeric(14, 2)
        FROM latest l
        JOIN warehouse.dim_location loc ON loc.location_id = l.agreed_delivery_location_id
        JOIN warehouse.dim_currency c ON c.currency_id = l.currency_id
        WHERE NOT l.is_deleted GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4""")
    assert g.fetch(cdc_url, "SELECT * FROM warehouse.agg_sales_daily ORDER BY 1, 2, 3, 4") == \
        latest
