"""A warehouse and processed zone written before deletes were recorded take the new version in
place: migration 3 adds the columns without reloading, old batches and old state still read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pyarrow.parquet as pq
import pytest

from pipeline import transform
from pipeline.session import Session
from pipeline.source.cdc.changes import Op
from pipeline.transform.outputs import FACTS
from pipeline.warehouse import load
from pipeline.warehouse import migrate as migrations
from pipeline.warehouse.upsert import TARGETS
from tests.pipeline import goldendata as g
from tests.pipeline.cdc_batches import Stream, key_only, write_batch

B1, B2 = "20240301T000000Z", "20240302T000000Z"
NEW_COLUMNS = ("is_deleted", "change_lsn", "change_ordinal", "_lsn", "_ord")


def _as_written_before(processed_uri: str) -> None:
    """Every processed and state file as the previous version wrote it: without the columns
    this change added (row counts, which the state manifest checks, stay the same)."""
    for path in Path(unquote(urlparse(processed_uri).path)).rglob("*.parquet"):
        data = pq.read_table(path)
        pq.write_table(data.drop_columns([c for c in NEW_COLUMNS if c in data.column_names]),
                       path)


def _schema(url: str) -> list[tuple[Any, ...]]:
    return g.fetch(url, """
        SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'warehouse'
        UNION ALL SELECT tablename, indexname, 0, indexdef, '', '' FROM pg_indexes
        WHERE schemaname = 'warehouse'
        UNION ALL SELECT conrelid::regclass::text, conname, 0, pg_get_constraintdef(oid), '', ''
        FROM pg_constraint WHERE connamespace = 'warehouse'::regnamespace
        ORDER BY 1, 3, 2""")


def test_an_existing_warehouse_migrates_in_place_keeping_its_rows(
        storage_root: str, make_database: Callable[[], str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings, url = g.settings_for(storage_root), make_database()
    data = g.golden()
    g.write_batch(settings.raw_uri, B1, data)
    transform.run(Session.of(settings))
    _as_written_before(settings.processed_uri)
    shipped = migrations.shipped
    with monkeypatch.context() as previous:  # the previous version: two migrations, and facts
        previous.setattr(migrations, "shipped", lambda: [m for m in shipped() if m.version < 3])
        for name in FACTS:  # identified by (natural id, last_updated) only
            previous.setitem(TARGETS, name, replace(TARGETS[name], position=()))
        load.run(Session.of(settings, warehouse_url=url))
    old_facts = g.fetch(url, "SELECT * FROM warehouse.fact_sales_order ORDER BY 1")
    assert len(old_facts) == 3 and len(old_facts[0]) == 15

    # the new version: the next watermark batch, then a change-stream batch with a delete
    g.write_batch(settings.raw_uri, B2, g.history_batch(data))
    transform.run(Session.of(settings))
    result = load.run(Session.of(settings, warehouse_url=url))
    write_batch(settings.raw_uri, Stream().commit(
        ("sales_order", Op.DELETE, key_only("sales_order", data["sales_order"][1]))))
    transform.run(Session.of(settings))
    load.run(Session.of(settings, warehouse_url=url))

    assert result.details["migrations_applied"] == [3]
    assert g.fetch(url, "SELECT * FROM warehouse.fact_sales_order WHERE sales_record_id <= 3 "
                        "ORDER BY 1") == [(*r, False, None, None) for r in old_facts]
    assert g.fetch(url, "SELECT sales_order_id, units_sold, is_deleted, change_lsn IS NULL "
                        "FROM warehouse.fact_sales_order WHERE sales_record_id > 3 "
                        "ORDER BY 1") == [(1, 12, False, True), (2, 5, True, False)]
    assert g.fetch(url, "SELECT count(*) FROM warehouse.dim_design WHERE is_deleted") == [(0,)]
    assert (g._d("2024-01-02"), 2) not in [
        r[:2] for r in g.fetch(url, "SELECT * FROM warehouse.agg_sales_daily")]
    # the same as a warehouse created by this version from the same processed batches
    fresh = make_database()
    load.run(Session.of(settings, warehouse_url=fresh))
    assert _schema(url) == _schema(fresh)
    assert g.checksums(url) == g.checksums(fresh)
