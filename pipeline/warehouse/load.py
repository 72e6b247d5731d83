"""The load stage: processed batches into the PostgreSQL warehouse, exactly once, in order.

For every processed batch (oldest first) and every table (dimensions, facts, aggregates), one
transaction: binary-COPY the batch file into a temporary staging table (ADBC, straight from
Arrow), merge it (``upsert``), and record ``(batch_id, table)`` in ``warehouse.load_ledger``.
The ledger row commits with the data, so after a crash a rerun skips exactly what was committed
and redoes the rest. A session advisory lock (on the psycopg connection that also runs the
migrations) keeps two loads from interleaving.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pyarrow as pa

from pipeline import pgcopy, storage
from pipeline.session import Session
from pipeline.stages import StageResult
from pipeline.transform import outputs
from pipeline.warehouse import firstload
from pipeline.warehouse.migrate import migrate
from pipeline.warehouse.upsert import TARGETS, TargetTable, statements

LOAD_LOCK = 7_311_002  # pg_advisory_lock key: "tricloud warehouse load"


class LoadError(RuntimeError):
    """The processed zone and the warehouse ledger disagree about what comes next."""


# Rows per chunk streamed from a processed file into the staging table: a file of any size
# costs one chunk of memory.
CHUNK_ROWS = 131_072


def _load_table(conn: Any, batch_id: str, table: str, uri: str) -> tuple[int, int | None]:
    """One table of one batch in one transaction of the ADBC connection ``conn``: the rows
    staged, and the rows changed (None when the ledger says it is done). Any failure rolls
    the whole table back."""
    target = TARGETS[table]
    stage = f"stage_{table}"
    cur = conn.cursor()
    try:
        cur.execute("SELECT 1 FROM warehouse.load_ledger WHERE batch_id = $1 "
                    "AND table_name = $2", (batch_id, table))
        if cur.fetchone():
            conn.rollback()
            return 0, None
        schema = storage.parquet_schema(uri)
        rows = pa.RecordBatchReader.from_batches(schema, storage.iter_parquet(uri, CHUNK_ROWS))
        empty = firstload.table_schema(cur, target)
        if empty is not None:
            staged = changed = firstload.copy_into(cur, target, empty, rows)
        else:
            staged, changed = _merge(cur, target, stage, rows)
        cur.execute(
            "INSERT INTO warehouse.load_ledger (batch_id, table_name, rows_staged, rows_changed)"
            " VALUES ($1, $2, $3, $4)", (batch_id, table, staged, changed))
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        cur.close()
    return staged, changed


def _merge(cur: Any, target: TargetTable, stage: str, rows: pa.RecordBatchReader,
           ) -> tuple[int, int]:
    """Stage ``rows`` by binary COPY and merge them by ``target``'s rule: rows staged, changed."""
    staged = pgcopy.stage(cur, stage, rows)
    changed = 0
    for stmt in statements(target, stage, rows.schema.names):
        text = stmt.as_string(None)
        cur.execute(text)
        if text.startswith("INSERT"):
            changed += max(cur.rowcount, 0)
    cur.execute(f'DROP TABLE "{stage}"')
    return staged, changed


def _loaded(conn: psycopg.Connection) -> dict[str, set[str]]:
    ledger: dict[str, set[str]] = {}
    for batch_id, table in conn.execute(
            "SELECT batch_id, table_name FROM warehouse.load_ledger").fetchall():
        ledger.setdefault(batch_id, set()).add(table)
    return ledger


def _source_rows(processed_uri: str, batch_id: str) -> dict[str, int]:
    """The transform's row balance of a batch (``_SUCCESS.json``): what loading it delivers."""
    marker = storage.read_json(outputs.success_uri(processed_uri, batch_id))
    tables = marker.get("source_tables", {}).values()
    return {key: sum(int(t.get(key, 0)) for t in tables)
            for key in ("rows_in", "rows_out", "quarantined", "duplicates")}


NOTHING_TO_LOAD = ("nothing to load: every processed batch is already in the warehouse; "
                   "`pipeline ingest` then `pipeline transform` make a new one (or `pipeline run`)")


def run(session: Session) -> StageResult:
    """Load every processed batch not yet in the ledger into ``session.warehouse_url``.

    ``details["source_rows"]`` is the row balance of the batches this run completed (their
    source row versions, valid and quarantined): after a crash that is a batch an earlier run
    transformed, so the run summary counts what this run delivered, not what it transformed.
    """
    started = time.perf_counter()
    settings = session.settings
    rows_in = rows_out = 0
    details: dict[str, Any] = {"batches": [], "skipped_tables": 0, "changed": {},
                               "source_rows": dict.fromkeys(
                                   ("rows_in", "rows_out", "quarantined", "duplicates"), 0)}
    with psycopg.connect(session.warehouse_url, autocommit=True) as conn, \
            pgcopy.connect(session.warehouse_url) as bulk:
        details["migrations_applied"] = migrate(conn)
        conn.execute("SELECT pg_advisory_lock(%s)", (LOAD_LOCK,))
        try:
            ledger = _loaded(conn)
            complete = {b for b, tables in ledger.items()
                        if set(outputs.OUTPUT_TABLES) <= tables}
            pending = [b for b in outputs.completed_batches(settings.processed_uri)
                       if b not in complete]
            if pending and complete and pending[0] < max(complete):
                raise LoadError(
                    f"processed batch {pending[0]} is older than loaded batch {max(complete)}; "
                    "loading it now would roll the aggregates back")
            if not pending:
                details["next"] = NOTHING_TO_LOAD
            for batch_id in pending:
                details["batches"].append(batch_id)
                for table in outputs.OUTPUT_TABLES:
                    if table in ledger.get(batch_id, set()):
                        details["skipped_tables"] += 1
                        continue
                    staged, changed = _load_table(
                        bulk, batch_id, table,
                        outputs.table_uri(settings.processed_uri, batch_id, table))
                    rows_in += staged
                    rows_out += staged
                    if changed is not None:
                        details["changed"][table] = details["changed"].get(table, 0) + changed
                for key, n in _source_rows(settings.processed_uri, batch_id).items():
                    details["source_rows"][key] += n
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOAD_LOCK,))
    return StageResult("load", rows_in, rows_out, time.perf_counter() - started, 0, details)
