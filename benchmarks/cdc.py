"""The change data capture source's figures: its initial snapshot and the drain of a change.

Built on ``pipeline.source.cdc``'s own pieces: ``operations.setup`` checks the source and
creates the publication and a slot; ``InitialSnapshot`` creates the slot with its exported
snapshot and ``SnapshotSource`` copies every table as of it; ``SlotReader`` and ``deliver``
peek the changes committed since, decode pgoutput into typed rows, and advance the slot only
once the batch is written. Both write what they read as Parquet parts plus a manifest into a
raw zone of their own (``<dir>/cdc/raw``, never read by the transform), as an ingest does, so
their rows/s stand next to the watermark ingest's.

The benchmark's warehouse lives on the same server as its source, and a slot decodes every WAL
record written after its position, including the warehouse load's. A real source does not
carry its warehouse's WAL, so the runner arms a slot (``arm``) right before each change it
measures and drops it after the drain: the drain reads the change and nothing else.
"""

from __future__ import annotations

import shutil
import time
from typing import Any

from benchmarks.layout import SizeDirs

SLOT = PUBLICATION = "tricloud_bench"


def _names() -> Any:
    from pipeline.source.cdc.operations import Names

    return Names(slot=SLOT, publication=PUBLICATION)


def arm(source_url: str) -> dict[str, Any]:
    """Check the source and create the publication and a slot starting now (idempotent)."""
    from pipeline.source.cdc import operations

    return {"rows": 0, "done": operations.setup(source_url, _names())}


def drop(source_url: str) -> dict[str, Any]:
    """Release the slot (and its WAL); the publication goes too."""
    from pipeline.source.cdc import operations

    return {"rows": 0, "done": operations.drop(source_url, _names())}


def snapshot(source_url: str, dirs: SizeDirs) -> dict[str, Any]:
    """Every table as of a new slot's consistent point; timed from the slot's creation to the
    committed manifest. The slot is dropped afterwards (see the module's note)."""
    from pipeline import raw
    from pipeline.source.cdc.snapshot import InitialSnapshot, SnapshotSource
    from pipeline.source.tables import TABLES

    shutil.rmtree(dirs.cdc, ignore_errors=True)
    raw_uri = dirs.cdc_raw.resolve().as_uri()
    arm(source_url)
    started = time.perf_counter()
    batch_id = raw.new_batch_id()
    written: list[raw.TableParts] = []
    with InitialSnapshot(source_url, SLOT, replace=True) as start, \
            SnapshotSource(source_url, start.snapshot_name) as source:
        for table in TABLES:
            parts = raw.TableParts(raw_uri, table.name, batch_id)
            written.append(parts)
            for batch in source.read(table, None):
                parts.add(batch)
            parts.flush()
    raw.write_manifest(raw_uri, batch_id, "cdc-snapshot", written)
    seconds = time.perf_counter() - started
    drop(source_url)
    shutil.rmtree(dirs.cdc, ignore_errors=True)  # a second copy of the source: gigabytes at 10M
    return {"rows": sum(p.rows for p in written), "work_seconds": seconds,
            "consistent_lsn": start.consistent_lsn,
            "tables": {p.table: p.rows for p in written}}


def drain(source_url: str, dirs: SizeDirs, *, chunk: int = 200_000) -> dict[str, Any]:
    """Every change committed since ``arm``: peeked, decoded, written as Parquet per table with
    a manifest, then confirmed; ``chunk`` messages per read. The slot is dropped afterwards."""
    import psycopg

    from pipeline import raw
    from pipeline.source.cdc import arrow
    from pipeline.source.cdc.slot import Batch, SlotReader, deliver
    from pipeline.source.tables import TABLES

    raw_uri = dirs.cdc_raw.resolve().as_uri()
    counts = {"rows": 0, "transactions": 0, "batches": 0}
    by_table: dict[str, int] = {}

    def commit(batch: Batch) -> None:
        batch_id = raw.new_batch_id()
        written = []
        for table in TABLES:
            parts = raw.TableParts(raw_uri, table.name, batch_id)
            parts.add(arrow.to_batch(table, batch.changes))
            parts.flush()
            written.append(parts)
            by_table[table.name] = by_table.get(table.name, 0) + parts.rows
        raw.write_manifest(raw_uri, batch_id, "cdc", written)
        counts["batches"] += 1

    started = time.perf_counter()
    with psycopg.connect(source_url, autocommit=True) as conn:
        reader = SlotReader(conn, SLOT, PUBLICATION)
        while True:
            batch = deliver(reader, commit, upto_changes=chunk)
            counts["rows"] += len(batch.changes)
            counts["transactions"] += batch.transactions
            if batch.end_lsn is None:
                break
    seconds = time.perf_counter() - started
    drop(source_url)
    return {**counts, "work_seconds": seconds, "tables": by_table}
