"""The load stage: processed batches into the PostgreSQL warehouse, exactly once, in order.

For every processed batch (oldest first) and every table (dimensions, facts, aggregates), one
transaction: COPY the batch file into a temporary staging table, merge it (``upsert``), and
record ``(batch_id, table)`` in ``warehouse.load_ledger``. The ledger row commits with the data,
so after a crash a rerun skips exactly what was committed and redoes the rest. A session
advisory lock keeps two loads from interleaving.
"""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pyarrow as pa
from psycopg import sql

from pipeline import storage
from pipeline.pgcopy import copy_csv
from pipeline.settings import Settings
from pipeline.stages import StageResult
from pipeline.transform import outputs
from pipeline.warehouse.faults import checkpoint
from pipeline.warehouse.migrate import migrate
from pipeline.warehouse.upsert import TARGETS, statements

LOAD_LOCK = 7_311_002  # pg_advisory_lock key: "tricloud warehouse load"
COPY_CHUNK_ROWS = 50_000


class LoadError(RuntimeError):
    """The processed zone and the warehouse ledger disagree about what comes next."""


def _load_table(conn: psycopg.Connection, batch_id: str, table: str, data: pa.Table,
                crash_at: str | None) -> int | None:
    """One table of one batch in one transaction; None when the ledger says it is done."""
    target = TARGETS[table]
    stage = f"stage_{table}"
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT 1 FROM warehouse.load_ledger WHERE batch_id = %s AND table_name = %s",
                    (batch_id, table))
        if cur.fetchone():
            return None
        cur.execute(sql.SQL(
            "CREATE TEMP TABLE {stage} (LIKE {target}) ON COMMIT DROP"
        ).format(stage=sql.Identifier(stage), target=sql.Identifier("warehouse", table)))
        if target.record_id:
            cur.execute(sql.SQL("ALTER TABLE {} DROP COLUMN {}").format(
                sql.Identifier(stage), sql.Identifier(target.record_id)))
        copy_csv(cur, stage, data, COPY_CHUNK_ROWS)
        checkpoint(crash_at, f"staged:{table}", batch_id)
        changed = 0
        for stmt in statements(target, stage, data.column_names):
            cur.execute(stmt)
            if (cur.statusmessage or "").startswith("INSERT"):
                changed += max(cur.rowcount, 0)
        cur.execute(
            "INSERT INTO warehouse.load_ledger (batch_id, table_name, rows_staged, rows_changed)"
            " VALUES (%s, %s, %s, %s)", (batch_id, table, data.num_rows, changed))
        checkpoint(crash_at, f"upserted:{table}", batch_id)
    checkpoint(crash_at, f"committed:{table}", batch_id)
    return changed


def _loaded(conn: psycopg.Connection) -> dict[str, set[str]]:
    ledger: dict[str, set[str]] = {}
    for batch_id, table in conn.execute(
            "SELECT batch_id, table_name FROM warehouse.load_ledger").fetchall():
        ledger.setdefault(batch_id, set()).add(table)
    return ledger


def run(settings: Settings, warehouse_url: str, crash_at: str | None = None) -> StageResult:
    """Load every processed batch not yet in the ledger; ``crash_at``: see ``faults``."""
    started = time.perf_counter()
    rows_in = rows_out = 0
    details: dict[str, Any] = {"batches": [], "skipped_tables": 0, "changed": {}}
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        details["migrations_applied"] = migrate(conn)
        checkpoint(crash_at, "migrated")
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
            for batch_id in pending:
                details["batches"].append(batch_id)
                for table in outputs.OUTPUT_TABLES:
                    if table in ledger.get(batch_id, set()):
                        details["skipped_tables"] += 1
                        continue
                    data = storage.read_parquet(
                        outputs.table_uri(settings.processed_uri, batch_id, table))
                    changed = _load_table(conn, batch_id, table, data, crash_at)
                    rows_in += data.num_rows
                    rows_out += data.num_rows
                    if changed is not None:
                        details["changed"][table] = details["changed"].get(table, 0) + changed
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOAD_LOCK,))
    return StageResult("load", rows_in, rows_out, time.perf_counter() - started, 0, details)
