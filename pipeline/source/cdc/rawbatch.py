"""The cdc source's batches in the raw zone, and how far the committed ones reach.

A cdc batch is an ordinary raw batch (``pipeline.raw``: Parquet parts per table under a fresh
batch id, the manifest as the commit point) whose files have ``arrow.schema`` (the contract's
columns, then ``cdc_op``, ``cdc_commit_lsn``, ``cdc_commit_time``, ``cdc_xid``,
``cdc_ordinal``), and whose manifest has ``"source": "cdc"`` and a ``"cdc"`` object:

    kind            "snapshot" (the initial copy) or "changes" (read from the slot)
    slot, publication
    start_lsn       where the read began (the slot's confirmed position; the consistent
                    point for a snapshot)
    end_lsn         the end of the last transaction the batch holds (the consistent point
                    for a snapshot): the slot is advanced here only after this manifest exists
    transactions    transactions in the batch
    truncates       [{table, commit_lsn, end_lsn, ordinal, xid, commit_time}], commit order
    consistent_lsn, snapshot_time   (snapshot only)

LSNs are integers, as in ``cdc_commit_lsn``. A truncate has no row, so it is an event of the
manifest; ``(commit_lsn, ordinal)`` orders it among the rows (a row of that table with a smaller
pair is gone, one with a greater pair came after it). Each table entry also counts its rows
per operation (``ops``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from pipeline import raw
from pipeline.source.base import Source
from pipeline.source.cdc import arrow
from pipeline.source.cdc.changes import Change, Op
from pipeline.source.tables import SourceTable

SOURCE = "cdc"


@dataclass(frozen=True)
class Written:
    batch_id: str
    manifest: str
    rows: dict[str, int]


def committed_end(raw_uri: str) -> int | None:
    """The ``end_lsn`` of the newest committed cdc batch; None before the initial snapshot.

    Every transaction ending at or before it is in the raw zone: what the slot hands out again
    after a crash between a manifest and the slot's advance is skipped by this position.
    """
    manifest = raw.latest_manifest(raw_uri, SOURCE)
    return None if manifest is None else int(manifest["cdc"]["end_lsn"])


def _commit(raw_uri: str, batch_id: str, parts: list[raw.TableParts],
            ops: dict[str, Counter[str]], cdc: dict[str, Any]) -> Written:
    extras = {p.table: {"ops": dict(ops.get(p.table, {}))} for p in parts}
    manifest = raw.write_manifest(raw_uri, batch_id, SOURCE, parts, extras, {"cdc": cdc})
    return Written(batch_id, manifest, {p.table: p.rows for p in parts})


def _snapshot_origin(batch: pa.RecordBatch, table: SourceTable, lsn: int,
                     moment: datetime) -> pa.RecordBatch:
    """A snapshot row is an insert committed at the consistent point, by no one transaction."""
    n = batch.num_rows
    origin = [pa.repeat(pa.scalar(Op.INSERT.value, pa.string()), n),
              pa.repeat(pa.scalar(lsn, pa.uint64()), n),
              pa.repeat(pa.scalar(moment, pa.timestamp("us", tz="UTC")), n),
              pa.nulls(n, pa.uint32()),
              pa.repeat(pa.scalar(0, pa.int32()), n)]
    return pa.RecordBatch.from_arrays([*batch.columns, *origin], schema=arrow.schema(table))


def write_snapshot(raw_uri: str, source: Source, tables: Sequence[SourceTable], *,
                   consistent_lsn: int, snapshot_time: datetime, slot: str, publication: str,
                   rows_per_part: int = 1_000_000) -> Written:
    """Copy every table through ``source`` (pinned to the slot's snapshot) as one batch."""
    batch_id = raw.new_batch_id()
    parts: list[raw.TableParts] = []
    try:
        for table in tables:
            part = raw.TableParts(raw_uri, table.name, batch_id, rows_per_part)
            parts.append(part)
            for batch in source.read(table, None):
                part.add(_snapshot_origin(batch, table, consistent_lsn, snapshot_time))
            part.flush()
        ops = {p.table: Counter({"insert": p.rows}) for p in parts}
        return _commit(raw_uri, batch_id, parts, ops, {
            "kind": "snapshot", "slot": slot, "publication": publication,
            "start_lsn": consistent_lsn, "end_lsn": consistent_lsn, "transactions": 0,
            "truncates": [], "consistent_lsn": consistent_lsn,
            "snapshot_time": snapshot_time.isoformat()})
    except BaseException:
        raw.discard([uri for p in parts for uri in p.files])
        raise


def _truncate_event(change: Change) -> dict[str, Any]:
    return {"table": change.table, "commit_lsn": change.commit_lsn, "end_lsn": change.end_lsn,
            "ordinal": change.ordinal, "xid": change.xid,
            "commit_time": change.commit_time.isoformat()}


def write_changes(raw_uri: str, changes: Iterable[Change], tables: Sequence[SourceTable], *,
                  start_lsn: int, end_lsn: int, slot: str, publication: str,
                  rows_per_part: int = 1_000_000) -> Written:
    """Whole transactions read from the slot, as one batch: each table's rows in commit order,
    truncates as events of the manifest."""
    batch_id = raw.new_batch_id()
    by_table: dict[str, list[Change]] = {t.name: [] for t in tables}
    truncates: list[dict[str, Any]] = []
    ops: dict[str, Counter[str]] = {t.name: Counter() for t in tables}
    transactions: set[int] = set()
    for change in changes:
        transactions.add(change.end_lsn)
        if change.table not in by_table:
            continue  # published but not a contract table: not the pipeline's to keep
        if change.op is Op.TRUNCATE:
            truncates.append(_truncate_event(change))
        else:
            by_table[change.table].append(change)
        ops[change.table][change.op.value] += 1
    parts: list[raw.TableParts] = []
    try:
        for table in tables:
            part = raw.TableParts(raw_uri, table.name, batch_id, rows_per_part)
            parts.append(part)
            part.add(arrow.to_batch(table, by_table[table.name]))
            part.flush()
        return _commit(raw_uri, batch_id, parts, ops, {
            "kind": "changes", "slot": slot, "publication": publication,
            "start_lsn": start_lsn, "end_lsn": end_lsn, "transactions": len(transactions),
            "truncates": truncates})
    except BaseException:
        raw.discard([uri for p in parts for uri in p.files])
        raise
