"""The transform stage: every committed raw batch not yet transformed becomes a processed batch.

A processed batch is produced per raw batch, oldest first, and marked complete by
``_SUCCESS.json``. Each one reads only its own raw files and the compacted state the batch
before it left (``state.py``): de-duplication across the ingest overlap window, reference checks
("an id that never existed") and "latest version" dimensions and aggregates need nothing else of
the history. The batch's outputs hold only what it changed (``outputs.py``), and its state is
committed before its ``_SUCCESS.json``, so a crash anywhere leaves the previous state for the
rerun. A row's verdict depends only on its values and on what existed by its own batch, so
``rebuild_state``, which replays the raw history, reproduces the same state.
"""

from __future__ import annotations

import time
from typing import Any

import iso4217
import pyarrow as pa

from pipeline.session import Session
from pipeline.settings import EngineConfig
from pipeline.stages import StageResult
from pipeline.transform import outputs
from pipeline.transform import state as state_store
from pipeline.transform.batch import BatchCounts, TransformError, transform_batch
from pipeline.transform.contract import TABLES
from pipeline.transform.engine import SqlRunner, default_memory_limit_mb
from pipeline.transform.raw import RawBatch, committed_batches, stage_table
from pipeline.transform.state import State

__all__ = ["TransformError", "rebuild_state", "run"]


def currency_reference() -> pa.Table:
    """ISO 4217 codes and names from the maintained ``iso4217`` package."""
    rows = sorted((c.code, c.currency_name) for c in iso4217.Currency)
    return pa.Table.from_pydict({
        "currency_code": [r[0] for r in rows],
        "currency_name": [r[1] for r in rows],
    })


def _pending(raw: list[RawBatch], done: list[str]) -> list[RawBatch]:
    done_set = set(done)
    pending = [b for b in raw if b.batch_id not in done_set]
    if pending and done and pending[0].batch_id < done[-1]:
        # A batch committed "in the past" would change verdicts already handed to the load.
        raise TransformError(
            f"raw batch {pending[0].batch_id} is older than the last transformed batch "
            f"{done[-1]}; batch ids must increase. Move it under a new batch id."
        )
    return pending


def _one_batch(batch: RawBatch, processed_uri: str, before: State, engine: EngineConfig, *,
               write_outputs: bool = True) -> tuple[BatchCounts, State]:
    """A fresh engine per batch, so nothing of one batch's relations outlives it."""
    runner = SqlRunner(memory_limit_mb=default_memory_limit_mb(engine.memory_mb),
                       spill_root=engine.spill_dir)
    try:
        runner.register("ref_currency", currency_reference())
        raw_tables = {table.name: stage_table(runner, table, batch) for table in TABLES}
        return transform_batch(runner, raw_tables, batch.batch_id, processed_uri, before,
                               write_outputs=write_outputs, truncates=batch.truncates)
    finally:
        runner.close()


def run(session: Session) -> StageResult:
    """Transform every committed, not yet transformed raw batch; see the module docstring."""
    started = time.perf_counter()
    settings = session.settings
    raw = committed_batches(settings.raw_uri)
    done = outputs.completed_batches(settings.processed_uri)
    pending = _pending(raw, done)
    details: dict[str, Any] = {"batches": [b.batch_id for b in pending]}
    if not pending:
        details["next"] = ("nothing to transform: every committed raw batch is transformed; "
                           "`pipeline ingest` reads the source's changes into a new one")
        return StageResult("transform", 0, 0, time.perf_counter() - started, 0, details)
    current = state_store.load(settings.processed_uri, done[-1] if done else None)
    per_batch = []
    for batch in pending:
        counts, current = _one_batch(batch, settings.processed_uri, current, settings.engine)
        per_batch.append(counts)
    rows_in = sum(b.total("rows_in") for b in per_batch)
    rows_out = sum(b.total("rows_out") for b in per_batch)
    quarantined = sum(b.total("quarantined") for b in per_batch)
    details["rows_read"] = sum(b.total("read") for b in per_batch)
    details["duplicates"] = sum(b.total("duplicates") for b in per_batch)
    details["tables"] = {
        t.name: {k: sum(b.tables[t.name][k] for b in per_batch)
                 for k in ("read", "duplicates", "rows_in", "rows_out", "quarantined")}
        for t in TABLES
    }
    return StageResult("transform", rows_in, rows_out, time.perf_counter() - started,
                       quarantined, details)


def rebuild_state(session: Session) -> StageResult:
    """Recompute the state of every transformed batch from the raw history, oldest first.

    The same per-batch step as ``run`` with its outputs left alone: the processed batches and
    the warehouse already hold them, and the verdicts cannot differ. Costs a full backfill.
    """
    started = time.perf_counter()
    settings = session.settings
    by_id = {b.batch_id: b for b in committed_batches(settings.raw_uri)}
    done = outputs.completed_batches(settings.processed_uri)
    missing = [b for b in done if b not in by_id]
    if missing:
        raise TransformError(f"processed batch {missing[0]} has no committed raw batch in "
                             f"{settings.raw_uri}; the state cannot be rebuilt without it")
    current = State()
    rows = 0
    for batch_id in done:
        counts, current = _one_batch(by_id[batch_id], settings.processed_uri, current,
                                     settings.engine, write_outputs=False)
        rows += counts.total("rows_in")
    return StageResult("rebuild-state", rows, rows, time.perf_counter() - started, 0,
                       {"batches": done})
