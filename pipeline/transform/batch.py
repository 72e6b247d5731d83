"""One raw batch against the state before it: its outputs, its counts and the next state.

The batch's relations are rendered from the contract (``validate.py``) over the batch's raw
rows and the state's (``state_relations.py``); the outputs hold only what the batch changed
(``outputs.py``) and are written by the engine straight to Parquet; the state is committed
before ``_SUCCESS.json``, so a crash anywhere leaves the previous state for the rerun.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from pipeline import storage
from pipeline.transform import aggregates, dimensions, outputs, state_relations, truncate
from pipeline.transform import state as state_store
from pipeline.transform.contract import TABLES, TABLES_BY_NAME
from pipeline.transform.engine import SqlRunner, sql_file
from pipeline.transform.raw import RawTable, Truncate
from pipeline.transform.state import State
from pipeline.transform.validate import render_all

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


def _output_sql(name: str, first: bool) -> str:
    if name in outputs.AGGREGATES:
        return f"SELECT * FROM changes_{name} ORDER BY ALL"
    if name in outputs.DIMENSIONS:
        return dimensions.changed_rows_sql(name, first)
    return sql_file(name)


def _write_outputs(runner: SqlRunner, processed_uri: str, batch_id: str, *, first: bool,
                   write: bool) -> dict[str, int]:
    """Every output table of the batch, encoded by the engine straight into its file; its rows
    per table. With ``write`` off (a state rebuild) only the rows are counted."""
    written: dict[str, int] = {}
    for name in outputs.OUTPUT_TABLES:
        query = _output_sql(name, first)
        if not write:
            written[name] = runner.scalar(f"SELECT count(*) FROM ({query})")
            continue
        written[name] = storage.write_parquet_from(
            outputs.table_uri(processed_uri, batch_id, name),
            lambda path, q=query: runner.copy(q, path), runner.scratch)
    return written


def transform_batch(runner: SqlRunner, raw: dict[str, RawTable], batch_id: str,
                    processed_uri: str, before: State, *, write_outputs: bool = True,
                    truncates: dict[str, tuple[Truncate, ...]] | None = None,
                    ) -> tuple[BatchCounts, State]:
    """One raw batch against the state before it: its outputs, counts and the next state."""
    runner.materialise("run_batch", f"SELECT CAST({_quote(batch_id)} AS VARCHAR) AS batch_id, "
                                    "CAST(0 AS INTEGER) AS batch")
    state_relations.register(runner, before, raw)
    for name, events in (truncates or {}).items():
        if name in raw:  # a truncate is every live id's delete: rows of the batch from here on
            raw[name] = truncate.apply(runner, TABLES_BY_NAME[name], raw[name], events)
            state_relations.register_seen(runner, before, TABLES_BY_NAME[name], raw[name])
    for table in TABLES:
        for rel in render_all(table, raw[table.name].typed, raw[table.name].changes,
                              first=before.batch_id is None):
            (runner.materialise if rel.materialise else runner.view)(rel.name, rel.sql)
    for name in outputs.AGGREGATES:
        aggregates.maintain(runner, name, name in before.aggregates)

    written = _write_outputs(runner, processed_uri, batch_id, first=before.batch_id is None,
                             write=write_outputs)
    quarantine = _quarantine(runner, raw, "(SELECT batch FROM run_batch)")
    if write_outputs:
        storage.write_parquet(outputs.quarantine_uri(processed_uri, batch_id), quarantine)

    counts: dict[str, dict[str, int]] = {}
    for t in TABLES:
        read = runner.scalar(f"SELECT count(*) FROM raw_{t.name}")
        versions, bad = runner.row(f"SELECT count(*), count(_rule) FROM checked_{t.name}")
        counts[t.name] = {"read": read, "duplicates": read - versions, "rows_in": versions,
                          "rows_out": versions - bad, "quarantined": bad}
    result = BatchCounts(batch_id, counts)
    if result.total("quarantined") != quarantine.num_rows:
        raise TransformError(f"batch {batch_id}: quarantine file disagrees with the counts")
    after = state_relations.next_state(runner, processed_uri, before, batch_id, counts, written)
    if write_outputs:
        storage.write_json(outputs.success_uri(processed_uri, batch_id), {
            "batch_id": batch_id,
            "source_tables": counts,
            "outputs": written,
            "quarantined": quarantine.num_rows,
        })
    state_store.discard_superseded(processed_uri, before, after)
    return result, after


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
        runner.register(f"quarantine_raw_{t.name}", raw[t.name].as_text(runner, bad.column("_seq")))
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
