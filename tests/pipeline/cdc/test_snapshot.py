"""The initial copy and the stream meet exactly: concurrent writers, no gap, no double."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest

from pipeline.errors import PipelineError
from pipeline.source.cdc.changes import Op
from pipeline.source.cdc.slot import SlotReader
from pipeline.source.cdc.snapshot import InitialSnapshot, SnapshotSource
from pipeline.source.postgres import PostgresSource
from pipeline.source.tables import BY_NAME, TABLE_NAMES

ORDERS = BY_NAME["sales_order"]


class Writer(threading.Thread):
    """Commits one insert of a new order or one +1 to an order's units, in a loop."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.stop, self.commits, self.error = url, threading.Event(), 0, None

    def run(self) -> None:
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                while not self.stop.is_set():
                    n = self.commits
                    if n % 3 == 0:
                        conn.execute("INSERT INTO sales_order SELECT %s, design_id, staff_id, "
                                     "counterparty_id, units_sold, unit_price, currency_id, "
                                     "agreed_delivery_date, agreed_payment_date, "
                                     "agreed_delivery_location_id, created_at, last_updated "
                                     "FROM sales_order WHERE sales_order_id = 1",
                                     (100_000 + n,))
                    else:
                        conn.execute("UPDATE sales_order SET units_sold = units_sold + 1 "
                                     "WHERE sales_order_id = %s", (1 + n % 40,))
                    self.commits += 1
        except Exception as exc:  # surfaced by the test after join
            self.error = exc


def _rows(source: PostgresSource) -> dict[int, dict[str, Any]]:
    return {r[ORDERS.key]: r for b in source.read(ORDERS, None) for r in b.to_pylist()}


def test_snapshot_then_stream_with_concurrent_writes_has_no_gap_and_no_double(
        cdc_source: str) -> None:
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute(f"CREATE PUBLICATION tricloud FOR TABLE {', '.join(TABLE_NAMES)}")
    writer = Writer(cdc_source)
    writer.start()
    while writer.commits < 20:
        time.sleep(0.01)
    with InitialSnapshot(cdc_source, "tricloud") as start:
        time.sleep(0.3)  # writes go on between the slot's start and the copy
        copied_at = writer.commits
        with SnapshotSource(cdc_source, start.snapshot_name) as source:
            state = _rows(source)
    while writer.commits < copied_at + 60:
        time.sleep(0.01)
    writer.stop.set()
    writer.join()
    assert writer.error is None

    with psycopg.connect(cdc_source, autocommit=True) as conn:
        batch = SlotReader(conn, "tricloud", "tricloud").peek()
    assert batch.changes and batch.changes[0].commit_lsn >= start.consistent_lsn
    for change in batch.changes:
        key = change.row[ORDERS.key]
        if change.op is Op.INSERT:
            assert key not in state, f"order {key} is in the copy and the stream"
        else:
            assert change.op is Op.UPDATE
            assert change.row["units_sold"] == state[key]["units_sold"] + 1, \
                f"order {key}: an update was missed or applied twice"
        state[key] = change.row
    with PostgresSource(cdc_source) as source:
        assert state == _rows(source)


def test_an_existing_slot_is_refused_unless_replaced(cdc_source: str) -> None:
    with InitialSnapshot(cdc_source, "tricloud"):
        pass
    with pytest.raises(PipelineError, match=r"cannot create replication slot tricloud.*exists"), \
            InitialSnapshot(cdc_source, "tricloud"):
        pass
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE currency SET currency_code = 'ZZZ' WHERE currency_id = 1")
    with InitialSnapshot(cdc_source, "tricloud", replace=True) as start, \
            SnapshotSource(cdc_source, start.snapshot_name) as source:
        codes = {r["currency_id"]: r["currency_code"]
                 for b in source.read(BY_NAME["currency"], None) for r in b.to_pylist()}
    assert codes[1] == "ZZZ"  # the new copy includes what the dropped slot had streamed
