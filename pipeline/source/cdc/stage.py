"""``TRICLOUD_SOURCE=cdc`` as the ingest stage: checks, snapshot or drain, lag.

Before anything is written the source must be able to do what the run needs (logical WAL, a
role that may replicate, the publication, REPLICA IDENTITY FULL on every table): a missing
prerequisite is a configuration error naming the fix per platform (exit 2). A slot that another
consumer holds is refused by name instead of being dropped or shared.

The first run (no committed cdc batch in the raw zone) takes the initial snapshot; every later
run drains the slot (``drain``). The slot keeps WAL on the source while the pipeline is not
reading, so every run reports how far behind it was at its start and is at its end, in bytes
and in time, and logs a warning past the thresholds of ``CdcConfig``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import psycopg

from pipeline.errors import PipelineError
from pipeline.session import Session
from pipeline.settings import SOURCE_URL, CdcConfig, SettingsError
from pipeline.source.cdc import identity, operations, prerequisites, rawbatch
from pipeline.source.cdc.drain import Drained, drain, snapshot
from pipeline.source.cdc.lsn import format_lsn
from pipeline.source.cdc.operations import Names, SlotStatus
from pipeline.source.postgres import describe
from pipeline.source.tables import SourceTable
from pipeline.stages import StageResult


def _slot(conn: psycopg.Connection, names: Names) -> tuple[Any, ...] | None:
    return conn.execute("SELECT active_pid, plugin, database FROM pg_replication_slots "
                        "WHERE slot_name = %s", (names.slot,)).fetchone()


def check(conn: psycopg.Connection, names: Names, tables: Sequence[SourceTable],
          slot: tuple[Any, ...] | None) -> None:
    """Everything the run needs of the source, before anything is created or written."""
    prerequisites.check(conn, need_slot=slot is None)
    operations.check_tables(conn, tables)
    prerequisites.check_publication(conn, names.publication, [t.name for t in tables])
    identity.require_full(conn, "public", [t.name for t in tables])
    if slot is None:
        return
    active_pid, plugin, database = slot
    if active_pid is not None:
        raise PipelineError(
            f"replication slot {names.slot} is in use by another consumer (backend pid "
            f"{active_pid}); a slot has one reader: stop that consumer, or give this pipeline "
            "its own slot (TRICLOUD_CDC_SLOT, then `pipeline cdc setup`)")
    if (plugin, database) != ("pgoutput", conn.info.dbname):
        raise PipelineError(f"replication slot {names.slot} belongs to plugin {plugin} on "
                            f"database {database}: choose another TRICLOUD_CDC_SLOT")


def _lag(found: SlotStatus | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"bytes": found.lag_bytes, "seconds": round(found.lag_seconds, 1),
            "retained_bytes": found.retained_bytes}


def _warn(session: Session, names: Names, config: CdcConfig, when: str,
          found: SlotStatus | None) -> None:
    if found is None:
        return
    if found.lag_bytes > config.lag_warn_bytes or found.lag_seconds > config.lag_warn_seconds:
        session.run_log.warning(
            "ingest",
            f"replication slot {names.slot} was {found.lag_bytes} bytes of WAL and "
            f"{found.lag_seconds:.0f} s behind {when} (warning past "
            f"{config.lag_warn_bytes} bytes or {config.lag_warn_seconds} s): the source keeps "
            "that WAL until the pipeline reads it; run the job more often, or size the "
            "source's disk for it (`pipeline cdc status`)",
            slot=names.slot, lag_bytes=found.lag_bytes,
            lag_seconds=round(found.lag_seconds, 1))


def run(session: Session, *, tables: Sequence[SourceTable],
        rows_per_part: int = 1_000_000) -> StageResult:
    """One cdc ingest: the initial snapshot on the first run, the slot's new changes after."""
    started = time.perf_counter()
    settings, config = session.settings, session.settings.cdc
    # A given source URL is used as is: reading the slot needs no embedded warehouse.
    url = session.urls[0] if session.urls is not None else (
        settings.source_url or session.source_url)
    if not url:
        raise SettingsError(f"{SOURCE_URL.name} is not set: no source database to follow")
    names = Names(slot=config.slot, publication=config.publication)
    committed = rawbatch.committed_end(settings.raw_uri)
    with psycopg.connect(url, autocommit=True) as conn:
        slot = _slot(conn, names)
        check(conn, names, tables, slot)
        before = operations.status(url, names) if slot is not None else None
        lag_at_start = _lag(before)  # now: a status's age in seconds grows as it is read
        _warn(session, names, config, "when this run started", before)
        if committed is None:
            mode = "snapshot"
            done = snapshot(url, conn, names, settings.raw_uri, tables,
                            replace=slot is not None, rows_per_part=rows_per_part)
        elif slot is None:
            raise PipelineError(
                f"replication slot {names.slot} is gone from {describe(url)}, but the raw zone "
                f"holds changes up to LSN {format_lsn(committed)}: what happened since is no "
                "longer in the WAL. Re-baselining means a new initial snapshot into a new raw "
                "zone (TRICLOUD_RAW_URI); deletes in between cannot be recovered")
        else:
            mode = "changes"
            done = drain(conn, names, settings.raw_uri, tables, committed_lsn=committed,
                         batch_changes=config.batch_changes, rows_per_part=rows_per_part)
    after = operations.status(url, names)
    lag = _lag(after)
    _warn(session, names, config, "at the end of this run", after)
    return _result(mode, names, done, lag_at_start, lag, time.perf_counter() - started)


def _result(mode: str, names: Names, done: Drained, lag_at_start: dict[str, Any] | None,
            lag: dict[str, Any] | None, seconds: float) -> StageResult:
    rows = done.rows
    total = sum(rows.values())
    details: dict[str, Any] = {
        "source": rawbatch.SOURCE, "mode": mode, "slot": names.slot,
        "batches": [w.batch_id for w in done.written],
        "batch_id": done.written[-1].batch_id if done.written else None,
        "manifests": [w.manifest for w in done.written],
        "tables": rows, "transactions": done.transactions, "truncates": done.truncates,
        "confirmed_lsn": format_lsn(done.confirmed_lsn) if done.confirmed_lsn else None,
        "lag_at_start": lag_at_start, "lag": lag,
        "rows_per_second": round(total / seconds) if seconds > 0 else None,
    }
    if not done.written:
        details["next"] = "no new changes on the source since the last run"
    return StageResult(stage="ingest", rows_in=total, rows_out=total, seconds=seconds,
                       details=details)
