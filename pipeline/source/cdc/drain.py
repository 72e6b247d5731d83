"""The two ways a cdc run fills the raw zone: the initial snapshot, and draining the slot.

The order of the steps is the whole exactly-once argument. The snapshot creates the slot and
copies the tables as of its consistent point into one batch; if the run dies before that
batch's manifest, the next run finds no committed cdc batch and starts over with a new slot
(nothing the old one streamed was kept). A drain peeks whole transactions from the slot's
confirmed position, writes them, commits the manifest with the LSN range, and only then
advances the slot; if the run dies before the advance, the slot hands the same transactions out
again and the ones ending at or before the newest manifest's ``end_lsn`` are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg

from pipeline.source.cdc import rawbatch
from pipeline.source.cdc.changes import RowCache
from pipeline.source.cdc.lsn import parse_lsn
from pipeline.source.cdc.operations import Names
from pipeline.source.cdc.slot import Batch, SlotReader, deliver
from pipeline.source.cdc.snapshot import InitialSnapshot, SnapshotSource
from pipeline.source.tables import SourceTable


@dataclass
class Drained:
    """What one run put into the raw zone."""

    written: list[rawbatch.Written] = field(default_factory=list)
    transactions: int = 0
    truncates: int = 0
    confirmed_lsn: int | None = None

    @property
    def rows(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for w in self.written:
            for table, n in w.rows.items():
                total[table] = total.get(table, 0) + n
        return total


def snapshot(url: str, conn: psycopg.Connection, names: Names, raw_uri: str,
             tables: Sequence[SourceTable], *, replace: bool,
             rows_per_part: int = 1_000_000) -> Drained:
    """Create the slot and copy the tables as of its consistent point, as one batch."""
    with InitialSnapshot(url, names.slot, replace=replace) as start:
        row = conn.execute("SELECT clock_timestamp()").fetchone()
        assert row is not None
        moment: datetime = row[0].astimezone(UTC)
        with SnapshotSource(url, start.snapshot_name) as source:
            written = rawbatch.write_snapshot(
                raw_uri, source, tables, consistent_lsn=start.consistent_lsn,
                snapshot_time=moment, slot=names.slot, publication=names.publication,
                rows_per_part=rows_per_part)
    return Drained(written=[written], confirmed_lsn=start.consistent_lsn)


def _lsn(conn: psycopg.Connection, query: str, *params: object) -> int | None:
    row = conn.execute(query, params).fetchone()
    return parse_lsn(row[0]) if row and row[0] else None


def drain(conn: psycopg.Connection, names: Names, raw_uri: str,
          tables: Sequence[SourceTable], *, committed_lsn: int, batch_changes: int,
          rows_per_part: int = 1_000_000) -> Drained:
    """Every transaction committed before this run began, in batches of about
    ``batch_changes`` changes; later commits are the next run's (a run always ends)."""
    upto = _lsn(conn, "SELECT pg_current_wal_flush_lsn()::text")
    confirmed = _lsn(conn, "SELECT confirmed_flush_lsn::text FROM pg_replication_slots "
                     "WHERE slot_name = %s", names.slot)
    assert upto is not None and confirmed is not None
    reader = SlotReader(conn, names.slot, names.publication)
    done = Drained(confirmed_lsn=confirmed)

    def commit(batch: Batch) -> None:
        assert batch.end_lsn is not None
        done.written.append(rawbatch.write_changes(
            raw_uri, batch.changes, tables, start_lsn=confirmed, end_lsn=batch.end_lsn,
            slot=names.slot, publication=names.publication, rows_per_part=rows_per_part))
        done.transactions += batch.transactions
        done.truncates += sum(c.op == "truncate" for c in batch.changes)

    while True:
        # REPLICA IDENTITY FULL puts every old value in the change itself, so the cache only
        # has to span one read; a fresh one per batch keeps memory bounded by the batch.
        reader.cache = RowCache()
        batch = deliver(reader, commit, committed_lsn=committed_lsn, upto_lsn=upto,
                        upto_changes=batch_changes)
        if batch.end_lsn is None:
            break
        confirmed = batch.end_lsn
        if batch.changes:
            committed_lsn = batch.end_lsn
    if confirmed < upto:
        # Every commit before ``upto`` is in the raw zone now: confirming up to it releases
        # the WAL of everything else the server wrote meanwhile (other databases, tables
        # outside the publication), which would otherwise count as lag forever.
        confirmed = reader.advance(upto)
    done.confirmed_lsn = confirmed
    return done
