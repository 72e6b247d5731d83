"""The transform stage: every committed raw batch not yet transformed becomes a processed batch.

Incrementality: a processed batch is produced per raw batch, oldest first, and marked complete
by ``_SUCCESS.json``. Each one is computed over all committed raw batches up to and including
it, because de-duplication across the ingest overlap window, reference checks ("an id that
never existed") and "latest version" dimensions and aggregates all need the history. Facts
and the quarantine hold only the versions a batch delivered first, so every source row version
is counted in exactly one run. A row's verdict depends only on its values and on what existed
by its own batch, so recomputing history never changes an earlier verdict.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import iso4217
import pyarrow as pa

from pipeline import storage
from pipeline.session import Session
from pipeline.stages import StageResult
from pipeline.transform import outputs
from pipeline.transform.contract import TABLES
from pipeline.transform.engine import SqlRunner, sql_file
from pipeline.transform.raw import RawBatch, RawTable, committed_batches, read_table
from pipeline.transform.validate import render_all
from pipeline.transform.writer import BackgroundWriter

QUARANTINE_SCHEMA = pa.schema([
    ("batch_id", pa.string()), ("table_name", pa.string()), ("key", pa.string()),
    ("rule", pa.string()), ("column_name", pa.string()), ("raw_values", pa.string()),
])


class TransformError(RuntimeError):
    """The raw zone is in a state the transform refuses to guess about."""


@dataclass(frozen=True)
class BatchCounts:
    """Row accounting of one processed batch, per source table."""

    batch_id: str
    tables: dict[str, dict[str, int]]

    def total(self, key: str) -> int:
        return sum(t[key] for t in self.tables.values())


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


def _transform_batch(runner: SqlRunner, raw: dict[str, RawTable], batch_id: str, position: int,
                     processed_uri: str) -> BatchCounts:
    """``position`` is the batch's ``_batch`` in the raw tables (``raw.LINEAGE``)."""
    runner.materialise("run_batch", f"SELECT CAST({_quote(batch_id)} AS VARCHAR) AS batch_id, "
                                    f"CAST({int(position)} AS INTEGER) AS batch")
    for table in TABLES:
        runner.view(f"raw_{table.name}",
                    f"SELECT * FROM raw_all_{table.name} "
                    "WHERE _batch <= (SELECT batch FROM run_batch)")
        for rel in render_all(table, raw[table.name].typed):
            (runner.materialise if rel.materialise else runner.view)(rel.name, rel.sql)

    written: dict[str, int] = {}
    this = "(SELECT batch FROM run_batch)"
    with BackgroundWriter(in_flight=2) as writer:
        for name in outputs.OUTPUT_TABLES:
            data = runner.fetch(sql_file(name))
            writer.write(outputs.table_uri(processed_uri, batch_id, name), data)
            written[name] = data.num_rows
        quarantine = _quarantine(runner, raw, this)
        writer.write(outputs.quarantine_uri(processed_uri, batch_id), quarantine)

    counts: dict[str, dict[str, int]] = {}
    for t in TABLES:
        read = runner.scalar(f"SELECT count(*) FROM raw_{t.name} WHERE _batch = {this}")
        versions, bad = runner.row(
            f"SELECT count(*), count(_rule) FROM checked_{t.name} WHERE _batch = {this}")
        counts[t.name] = {"read": read, "duplicates": read - versions, "rows_in": versions,
                          "rows_out": versions - bad, "quarantined": bad}
    result = BatchCounts(batch_id, counts)
    if result.total("quarantined") != quarantine.num_rows:
        raise TransformError(f"batch {batch_id}: quarantine file disagrees with the counts")
    storage.write_json(outputs.success_uri(processed_uri, batch_id), {
        "batch_id": batch_id,
        "source_tables": counts,
        "outputs": written,
        "quarantined": quarantine.num_rows,
    })
    return result


def _quarantine(runner: SqlRunner, raw: dict[str, RawTable], this: str) -> pa.Table:
    """The batch's rule-breaking rows with their raw values as JSON text.

    Raw values are rendered here, for the few bad rows only, from the raw text of each row
    (``RawTable.as_text``), so a quarantined row reads the same whether its file was typed.
    """
    parts = []
    for t in TABLES:
        bad = runner.fetch(f"SELECT _seq FROM checked_{t.name} "
                           f"WHERE _rule IS NOT NULL AND _batch = {this}")
        if not bad.num_rows:
            continue
        runner.register(f"quarantine_raw_{t.name}", raw[t.name].as_text(bad.column("_seq")))
        raw_json = ", ".join(f"{c.name} := q.{c.name}" for c in t.all_columns)
        parts.append(
            f"SELECT (SELECT batch_id FROM run_batch) AS batch_id, '{t.name}' AS table_name, "
            f"CAST(q.{t.key} AS VARCHAR) AS key, c._rule AS rule, c._column AS column_name, "
            f"CAST(to_json(struct_pack({raw_json})) AS VARCHAR) AS raw_values, c._seq "
            f"FROM checked_{t.name} AS c JOIN quarantine_raw_{t.name} AS q USING (_seq) "
            f"WHERE c._rule IS NOT NULL AND c._batch = {this}")
    if not parts:
        return QUARANTINE_SCHEMA.empty_table()
    return runner.fetch(
        f"SELECT * EXCLUDE (_seq) FROM ({' UNION ALL '.join(parts)}) ORDER BY table_name, _seq"
    ).cast(QUARANTINE_SCHEMA)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def run(session: Session) -> StageResult:
    """Transform every committed, not yet transformed raw batch; see the module docstring."""
    started = time.perf_counter()
    settings = session.settings
    raw = committed_batches(settings.raw_uri)
    pending = _pending(raw, outputs.completed_batches(settings.processed_uri))
    details: dict[str, Any] = {"batches": [b.batch_id for b in pending]}
    if not pending:
        return StageResult("transform", 0, 0, time.perf_counter() - started, 0, details)
    upto = [b for b in raw if b.batch_id <= pending[-1].batch_id]
    runner = SqlRunner()
    try:
        runner.register("ref_currency", currency_reference())
        raw_tables = {table.name: read_table(table, upto) for table in TABLES}
        for name, table in raw_tables.items():
            runner.register(f"raw_all_{name}", table.data)
        position = {b.batch_id: i for i, b in enumerate(upto)}
        per_batch = [_transform_batch(runner, raw_tables, b.batch_id, position[b.batch_id],
                                      settings.processed_uri)
                     for b in pending]
    finally:
        runner.close()
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
