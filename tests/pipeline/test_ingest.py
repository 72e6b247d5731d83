"""Ingest from PostgreSQL: incremental on last_updated with overlap, committed by manifest."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from pipeline import ingest, raw, storage
from pipeline.errors import PipelineError
from pipeline.session import Session
from pipeline.source.mutate import mutate
from pipeline.source.tables import TABLE_NAMES

OVERLAP = timedelta(seconds=5)


def _count_since(url: str, marks: dict) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}" WHERE last_updated >= %s',
                                (marks[t] - OVERLAP,)).fetchone()[0] for t in TABLE_NAMES}


def _snapshot(root: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*.parquet")}


def test_first_run_writes_layout_manifest_and_watermarks(source_url, pipeline_settings):
    result = ingest.run(Session.of(pipeline_settings, source_url=source_url))
    raw_uri = pipeline_settings.raw_uri
    [manifest] = raw.committed_batches(raw_uri)
    batch_id = result.details["batch_id"]
    assert manifest["batch_id"] == batch_id and manifest["source"] == "postgres"
    assert set(manifest["tables"]) == set(TABLE_NAMES)
    assert manifest["tables"]["sales_order"]["rows"] == 300
    for table, entry in manifest["tables"].items():
        assert entry["files"] == [storage.join(raw_uri, table, f"batch={batch_id}",
                                               "part-0000.parquet")]
    orders = storage.read_parquet(manifest["tables"]["sales_order"]["files"][0])
    assert str(orders.schema.field("unit_price").type) == "decimal128(10, 2)"
    assert str(orders.schema.field("last_updated").type) == "timestamp[us]"
    with psycopg.connect(source_url) as conn:
        newest = conn.execute("SELECT max(last_updated) FROM sales_order").fetchone()[0]
        total = sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLE_NAMES)
    assert raw.read_watermarks(raw_uri)["sales_order"] == newest
    assert result.rows_in == result.rows_out == total


def test_second_run_reads_only_changes_plus_overlap(source_url, pipeline_settings, tmp_path):
    ingest.run(Session.of(pipeline_settings, source_url=source_url, overlap=OVERLAP))
    marks = raw.read_watermarks(pipeline_settings.raw_uri)
    before = _snapshot(tmp_path)
    with psycopg.connect(source_url) as conn:
        changed = mutate(conn, seed=1, update_fraction=0.05, new_orders=10)
    expected = _count_since(source_url, marks)
    result = ingest.run(Session.of(pipeline_settings, source_url=source_url, overlap=OVERLAP))
    assert result.details["tables"] == expected
    assert expected["sales_order"] >= changed["sales_order"]
    assert expected["sales_order"] < 300 // 2  # incremental, not a full reload
    # The first batch's files are untouched and the new batch has its own folder.
    after = _snapshot(tmp_path)
    assert {k: after[k] for k in before} == before
    assert len(raw.committed_batches(pipeline_settings.raw_uri)) == 2
    new_marks = raw.read_watermarks(pipeline_settings.raw_uri)
    assert new_marks["sales_order"] > marks["sales_order"]
    assert new_marks["currency"] == marks["currency"]


def test_unchanged_source_rereads_only_the_overlap(source_url, pipeline_settings):
    ingest.run(Session.of(pipeline_settings, source_url=source_url))
    marks = raw.read_watermarks(pipeline_settings.raw_uri)
    again = ingest.run(Session.of(pipeline_settings, source_url=source_url))
    assert again.details["tables"] == _count_since(source_url, marks)
    assert raw.read_watermarks(pipeline_settings.raw_uri) == marks


def test_failure_mid_ingest_commits_nothing(source_url, pipeline_settings, tmp_path):
    ingest.run(Session.of(pipeline_settings, source_url=source_url))
    marks_file = Path(pipeline_settings.raw_uri.removeprefix("file://")) / "_state" / \
        "watermarks.json"
    marks_before = marks_file.read_bytes()
    files_before = _snapshot(tmp_path)
    with psycopg.connect(source_url) as conn:
        mutate(conn, seed=2)
        # payment is read last: every other table's parts are written before this fails.
        conn.execute("ALTER TABLE payment RENAME COLUMN paid TO settled")
    with pytest.raises(PipelineError, match="payment"):
        ingest.run(Session.of(pipeline_settings, source_url=source_url))
    assert len(raw.committed_batches(pipeline_settings.raw_uri)) == 1
    assert marks_file.read_bytes() == marks_before
    assert _snapshot(tmp_path) == files_before  # the uncommitted parts were removed


def test_parts_split_and_never_overwrite(source_url, pipeline_settings):
    result = ingest.run(Session.of(pipeline_settings, source_url=source_url), rows_per_part=100)
    [manifest] = raw.committed_batches(pipeline_settings.raw_uri)
    files = manifest["tables"]["payment"]["files"]
    assert len(files) == 5 and files[-1].endswith("part-0004.parquet")
    assert sum(storage.read_parquet(f).num_rows for f in files) == 450
    parts = raw.TableParts(pipeline_settings.raw_uri, "payment", result.details["batch_id"])
    parts.add(storage.read_parquet(files[0]).to_batches()[0])
    with pytest.raises(PipelineError, match="refusing to overwrite"):
        parts.flush()


def test_batch_ids_are_unique_and_time_sortable():
    ids = [raw.new_batch_id() for _ in range(50)]
    assert len(set(ids)) == 50
    stamps = [i.split("-")[0] for i in ids]
    assert stamps == sorted(stamps)
    assert len(ids[0]) == len("20240101T000000000000Z-abcdef")


def test_missing_table_is_one_line_naming_table_and_database(source_url, pipeline_settings):
    with psycopg.connect(source_url) as conn:
        conn.execute("DROP TABLE design")
    with pytest.raises(PipelineError) as info:
        ingest.run(Session.of(pipeline_settings, source_url=source_url))
    message = str(info.value)
    dbname = psycopg.conninfo.conninfo_to_dict(source_url)["dbname"]
    assert f"source table design not found in database {dbname} " in message
    assert "\n" not in message
    assert not storage.exists(storage.join(pipeline_settings.raw_uri, "_batches"))


def test_unreachable_source(pipeline_settings):
    url = "postgresql://nobody@127.0.0.1:1/nowhere?connect_timeout=2"
    with pytest.raises(PipelineError, match=r"cannot connect to source database nowhere"):
        ingest.run(Session.of(pipeline_settings, source_url=url))


def test_source_reads_arrive_typed_by_binary_copy(make_database, pipeline_settings):
    """ADBC's binary COPY: exact decimals, NULL apart from '', timestamps as timestamps."""
    from datetime import datetime
    from decimal import Decimal

    import psycopg

    from pipeline.source import dbcopy
    from pipeline.source.postgres import PostgresSource
    from pipeline.source.tables import BY_NAME

    url = make_database()
    with psycopg.connect(url) as conn:
        dbcopy.recreate_schema(conn)
        conn.execute("INSERT INTO counterparty VALUES (1, 'Acme', 1, '', NULL, "
                     "'2024-01-01 08:00:00', '2024-01-02 09:30:00.123456')")
        conn.execute("INSERT INTO currency VALUES (1, 'GBP', now(), now())")
        conn.execute("INSERT INTO payment VALUES (1, 1, 1, 12345678.91, 1, 1, true, "
                     "'2024-01-05', 1, 2, now(), now())")
    with PostgresSource(url) as source:
        (cp,) = list(source.read(BY_NAME["counterparty"], None))
        (pay,) = list(source.read(BY_NAME["payment"], None))
        since = list(source.read(BY_NAME["counterparty"], datetime(2024, 1, 3)))

    assert cp.schema == BY_NAME["counterparty"].schema
    row = cp.to_pylist()[0]
    assert (row["commercial_contact"], row["delivery_contact"]) == ("", None)
    assert row["last_updated"] == datetime(2024, 1, 2, 9, 30, 0, 123456)
    assert pay.column("payment_amount").to_pylist() == [Decimal("12345678.91")]
    assert since == []
