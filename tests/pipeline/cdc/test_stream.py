"""Changes read from a real slot: every operation, every version, peek/advance semantics."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pyarrow as pa
import pytest

from pipeline.source.cdc.changes import Op
from pipeline.source.cdc.identity import ReplicaIdentityError
from pipeline.source.cdc.lsn import parse_lsn
from pipeline.source.cdc.messages import UNCHANGED, Update
from pipeline.source.cdc.slot import Batch, SlotReader, deliver
from pipeline.source.postgres import PostgresSource
from pipeline.source.tables import BY_NAME
from tests.pipeline.cdc.conftest import publish


def _lsn(conn: psycopg.Connection) -> int:
    return parse_lsn(str(conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]))


def _incompressible() -> str:
    """20 kB of random hex: pglz cannot shrink it below the TOAST limit, so it is stored out of
    line and an update that leaves it alone sends pgoutput's 'u' marker."""
    return random.Random(20).randbytes(10_000).hex()


def test_insert_update_delete_truncate_carry_commit_lsn_and_time(cdc_source: str) -> None:
    publish(cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        before = _lsn(conn)
        with conn.transaction():
            conn.execute("INSERT INTO currency VALUES (99, 'CHF', now(), now())")
            conn.execute("UPDATE currency SET currency_code = 'XAU' WHERE currency_id = 99")
            conn.execute("DELETE FROM currency WHERE currency_id = 1")
        conn.execute("TRUNCATE payment_type")
        after = _lsn(conn)
        batch = SlotReader(conn, "tricloud", "tricloud").peek()
    now = datetime.now(UTC)
    ops = [(c.table, c.op, c.row.get("currency_id"), c.ordinal) for c in batch.changes]
    assert ops == [("currency", Op.INSERT, 99, 0), ("currency", Op.UPDATE, 99, 1),
                   ("currency", Op.DELETE, 1, 2), ("payment_type", Op.TRUNCATE, None, 0)]
    assert batch.transactions == 2
    first, last = batch.changes[0], batch.changes[-1]
    assert before < first.commit_lsn < last.commit_lsn < after
    assert first.end_lsn <= last.commit_lsn and batch.end_lsn == last.end_lsn
    assert now - timedelta(seconds=30) < first.commit_time <= last.commit_time <= now
    assert batch.changes[1].row["currency_code"] == "XAU"
    assert isinstance(batch.changes[1].row["last_updated"], datetime)
    # The delete carries the last known version when this read saw one, else its key.
    assert batch.changes[2].row == {"currency_id": 1}


def test_typed_values_match_the_watermark_source(cdc_source: str) -> None:
    """A no-op update (last_updated not moved) is a change, typed like a watermark read."""
    publish(cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE sales_order SET units_sold = units_sold WHERE sales_order_id = 1")
        conn.execute("UPDATE payment SET paid = NOT paid WHERE payment_id = 1")
        batch = SlotReader(conn, "tricloud", "tricloud").peek()
    assert [(c.table, c.op) for c in batch.changes] == [("sales_order", Op.UPDATE),
                                                        ("payment", Op.UPDATE)]
    with PostgresSource(cdc_source) as source:
        for change in batch.changes:
            table = BY_NAME[change.table]
            rows = [r for b in source.read(table, None) for r in b.to_pylist()
                    if r[table.key] == 1]
            assert change.row == rows[0]
    assert isinstance(batch.changes[0].row["unit_price"], Decimal)
    assert isinstance(batch.changes[1].row["paid"], bool)


def test_a_row_updated_twice_between_reads_yields_both_versions(cdc_source: str) -> None:
    publish(cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        for units in (7, 8):
            conn.execute("UPDATE sales_order SET units_sold = %s WHERE sales_order_id = 2",
                         (units,))
        batch = SlotReader(conn, "tricloud", "tricloud").peek()
    versions = [(c.row["units_sold"], c.commit_lsn) for c in batch.changes]
    assert [v for v, _ in versions] == [7, 8]
    assert versions[0][1] < versions[1][1]


def test_peek_rereads_until_advanced_and_advance_skips_what_was_confirmed(
        cdc_source: str) -> None:
    publish(cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        reader = SlotReader(conn, "tricloud", "tricloud")
        conn.execute("UPDATE staff SET first_name = 'A' WHERE staff_id = 1")
        conn.execute("UPDATE staff SET first_name = 'B' WHERE staff_id = 1")
        first = reader.peek()
        assert reader.peek() == first  # nothing consumed
        partial = reader.peek(upto_changes=1)  # whole transactions only
        assert [c.row["first_name"] for c in partial.changes] == ["A"]
        assert reader.advance(partial.end_lsn) == partial.end_lsn
        conn.execute("UPDATE staff SET first_name = 'C' WHERE staff_id = 1")
        rest = reader.peek()
    assert [c.row["first_name"] for c in first.changes] == ["A", "B"]
    assert [c.row["first_name"] for c in rest.changes] == ["B", "C"]
    assert rest.changes[0] == first.changes[1]


def test_unchanged_toast_value_is_carried_from_the_previous_version(cdc_source: str) -> None:
    big = _incompressible()
    publish(cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE design SET file_location = %s WHERE design_id = 1", (big,))
        reader = SlotReader(conn, "tricloud", "tricloud")
        seen = reader.peek()
        reader.advance(seen.end_lsn)
        conn.execute("UPDATE design SET design_name = 'renamed' WHERE design_id = 1")
        raw = [m for m in reader.messages() if isinstance(m, Update)]
        changed = reader.peek()  # the cache remembers the version the first read saw
    assert UNCHANGED in raw[0].new
    assert changed.changes[0].row["file_location"] == big
    assert changed.changes[0].row["design_name"] == "renamed"


def test_unknown_toast_value_without_a_previous_version_is_an_error(cdc_source: str) -> None:
    from pipeline.source.cdc.changes import UnknownToastValueError

    big = _incompressible()
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE design SET file_location = %s WHERE design_id = 1", (big,))
    publish(cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE design SET design_name = 'renamed' WHERE design_id = 1")
        with pytest.raises(UnknownToastValueError, match="REPLICA IDENTITY FULL"):
            SlotReader(conn, "tricloud", "tricloud").peek()
        conn.execute("ALTER TABLE design REPLICA IDENTITY FULL")
        conn.execute("UPDATE design SET design_name = 'again' WHERE design_id = 1")
        reader = SlotReader(conn, "tricloud", "tricloud")
        reader.advance(_lsn(conn))
        conn.execute("UPDATE design SET design_name = 'full' WHERE design_id = 1")
        change = reader.peek().changes[0]
    assert change.row["file_location"] == big and change.row["design_name"] == "full"


def test_a_table_without_a_key_fails_naming_the_fix(logical_db: Callable[[], str]) -> None:
    url = logical_db()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE nokey (a int, b text)")
        conn.execute("CREATE PUBLICATION tricloud FOR TABLE nokey")
        conn.execute("SELECT pg_create_logical_replication_slot('tricloud', 'pgoutput')")
        conn.execute("INSERT INTO nokey VALUES (1, 'x')")
        with pytest.raises(ReplicaIdentityError,
                           match=r"ALTER TABLE public\.nokey REPLICA IDENTITY FULL"):
            SlotReader(conn, "tricloud", "tricloud").peek()


def test_deliver_is_exactly_once_across_a_crash_before_the_advance(cdc_source: str) -> None:
    """Commit, crash before the advance, rerun: every change is kept once."""
    publish(cdc_source)
    kept: list[tuple[int, int]] = []
    manifest_lsn: list[int] = []

    def commit(batch: Batch) -> None:
        kept.extend((c.commit_lsn, c.ordinal) for c in batch.changes)
        manifest_lsn.append(max(c.end_lsn for c in batch.changes))

    with psycopg.connect(cdc_source, autocommit=True) as conn:
        reader = SlotReader(conn, "tricloud", "tricloud")
        for name in ("A", "B"):
            conn.execute("UPDATE staff SET first_name = %s WHERE staff_id = 1", (name,))
        commit(reader.peek())  # the run dies here, before advancing
        conn.execute("UPDATE staff SET first_name = 'C' WHERE staff_id = 1")
        rerun = deliver(reader, commit, committed_lsn=manifest_lsn[-1])
        assert [c.row["first_name"] for c in rerun.changes] == ["C"]
        idle = deliver(reader, commit, committed_lsn=manifest_lsn[-1])
    assert idle.changes == [] and idle.end_lsn is None
    assert len(kept) == len(set(kept)) == 3


def test_a_transaction_open_across_a_read_arrives_whole_once_committed(cdc_source: str) -> None:
    publish(cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn, \
            psycopg.connect(cdc_source) as long_running:
        reader = SlotReader(conn, "tricloud", "tricloud")
        long_running.execute("UPDATE staff SET first_name = 'L' WHERE staff_id = 1")
        conn.execute("UPDATE staff SET first_name = 'S' WHERE staff_id = 2")
        first = reader.peek()
        reader.advance(first.end_lsn)
        long_running.execute("UPDATE staff SET first_name = 'M' WHERE staff_id = 3")
        long_running.commit()
        second = reader.peek()
    assert [c.row["first_name"] for c in first.changes] == ["S"]
    assert [c.row["first_name"] for c in second.changes] == ["L", "M"]
    assert second.changes[0].commit_lsn > first.changes[0].commit_lsn


def test_changes_become_arrow_with_the_watermark_schema(cdc_source: str) -> None:
    from pipeline.source.cdc.arrow import ORIGIN, to_batch

    publish(cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE payment SET payment_amount = payment_amount + 0.01 "
                     "WHERE payment_id IN (1, 2)")
        conn.execute("DELETE FROM payment WHERE payment_id = 3")
        batch = SlotReader(conn, "tricloud", "tricloud").peek()
    table = BY_NAME["payment"]
    arrow = to_batch(table, batch.changes)
    with PostgresSource(cdc_source) as source:
        read = pa.Table.from_batches(list(source.read(table, None)))
    assert arrow.schema.remove_metadata() == pa.schema([*read.schema, *ORIGIN])
    rows = {r["payment_id"]: r for r in read.to_pylist()}
    got = arrow.to_pylist()
    assert [(r["payment_id"], r["cdc_op"]) for r in got] == [(1, "update"), (2, "update"),
                                                            (3, "delete")]
    assert {k: got[0][k] for k in table.column_names} == rows[1]
    assert got[0]["cdc_commit_lsn"] == batch.changes[0].commit_lsn
    assert got[2]["paid"] is None  # a delete under REPLICA IDENTITY DEFAULT carries its key
