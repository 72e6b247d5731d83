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

import re
import time
from dataclasses import dataclass
from typing import Any

import iso4217
import pyarrow as pa

from pipeline import storage
from pipeline.session import Session
from pipeline.settings import EngineConfig
from pipeline.stages import StageResult
from pipeline.transform import outputs, truncate
from pipeline.transform import state as state_store
from pipeline.transform.contract import TABLES, TABLES_BY_NAME
from pipeline.transform.engine import SqlRunner, default_memory_limit_mb, sql_file
from pipeline.transform.raw import (
    CURRENT_SCHEMAS,
    SEEN_SCHEMA,
    RawBatch,
    RawTable,
    Truncate,
    committed_batches,
    read_table,
)
from pipeline.transform.state import State
from pipeline.transform.validate import VERSION_KEY, render_all
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


def _register_state(runner: SqlRunner, current: State, raw: dict[str, RawTable]) -> None:
    """The state's files as lazy datasets: ``seen_<t>``, and ``state_<t>``, the base with the
    newest delta row of every id the deltas hold swapped in."""
    for table in TABLES:
        name, key = table.name, table.key
        runner.register(f"raw_{name}", raw[name].data)
        runner.register(f"seen_{name}",
                        state_store.dataset(current.seen.get(name, []), SEEN_SCHEMA))
        base, *deltas = current.current.get(name) or [None]
        runner.register(f"state_base_{name}", state_store.dataset(
            [base] if base else [], CURRENT_SCHEMAS[name]))
        if not deltas:
            runner.view(f"state_{name}", f"SELECT * FROM state_base_{name}")
            continue
        for i, uri in enumerate(deltas):
            runner.register(f"state_delta_{name}_{i}",
                            state_store.dataset([uri], CURRENT_SCHEMAS[name]))
        stacked = " UNION ALL ".join(f"SELECT *, {i} AS _f FROM state_delta_{name}_{i}"
                                     for i in range(len(deltas)))
        runner.materialise(f"state_newest_{name}", f"""
            SELECT * EXCLUDE (_f, _rn) FROM (
                SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY _f DESC) AS _rn
                FROM ({stacked})
            ) WHERE _rn = 1""")
        runner.view(f"state_{name}", f"""
            SELECT * FROM state_base_{name} ANTI JOIN state_newest_{name} USING ({key})
            UNION ALL SELECT * FROM state_newest_{name}""")


def _dimension_sql(name: str) -> str:
    """The dimension's rows for the ids whose values may have changed in this batch."""
    if name not in outputs.DIMENSION_SOURCES:
        return sql_file(name)  # dim_date: already only the dates this batch's facts use
    key, own, sources = outputs.DIMENSION_SOURCES[name]
    own_key = TABLES_BY_NAME[own].key
    ids = []
    for source, column in sources:
        source_key = TABLES_BY_NAME[source].key
        if column is None:
            ids.append(f"SELECT {own_key} FROM changed_{own}")
        else:
            ids.append(f"SELECT {own_key} FROM current_{own} WHERE {column} IN "
                       f"(SELECT {source_key} FROM changed_{source})")
    return (f"SELECT * FROM ({sql_file(name)}) AS d WHERE d.{key} IN "
            f"({' UNION '.join(ids)}) ORDER BY d.{key}")


def _relations(sql: str, renames: dict[str, str]) -> str:
    """An output's SQL over other relations of the same shape (its inputs are named in it)."""
    return re.sub(r"\b(" + "|".join(renames) + r")\b", lambda m: renames[m.group(1)], sql)


def _maintain_aggregate(runner: SqlRunner, name: str, had_state: bool) -> None:
    """``changes_<agg>``: the groups whose values this batch changes, with their new values.

    Maintained, not recomputed: only the rows the batch affects are aggregated (the ids it
    changed, and the rows of parents it changed, such as orders delivered to an address whose
    country moved), once as they were (the state before, old parents) with the sign flipped and
    once as they are; the sums are added to the previous aggregate. Counts and exact decimal
    sums make this equal to recomputing, and cost the batch, not the history.
    """
    grain = outputs.AGGREGATE_GRAIN[name]
    src, key = grain.source, TABLES_BY_NAME[grain.source].key
    via = " OR ".join(f"{column} IN (SELECT {TABLES_BY_NAME[parent].key} FROM changed_{parent})"
                      for parent, column in grain.parents)
    runner.materialise(f"affected_{name}", f"""
        SELECT {key} FROM changed_{src} UNION SELECT {key} FROM state_{src} WHERE {via}""")
    runner.view(f"before_{src}",
                f"SELECT * FROM state_{src} WHERE {key} IN (SELECT {key} FROM affected_{name})")
    runner.view(f"after_{src}",
                f"SELECT * FROM current_{src} WHERE {key} IN (SELECT {key} FROM affected_{name})")
    query = sql_file(name)
    old_parents = {f"current_{p}": f"state_{p}" for p, _ in grain.parents}
    before = _relations(query, {f"current_{src}": f"before_{src}", **old_parents})
    after = _relations(query, {f"current_{src}": f"after_{src}"})
    if not had_state:
        runner.materialise(f"old_{name}", f"SELECT * FROM ({after}) WHERE false")
    keys = ", ".join(grain.keys)
    negated = ", ".join(f"-{v} AS {v}" for v, _ in grain.values)
    summed = ", ".join(f"sum({v}) AS {v}" for v, _ in grain.values)
    same = " AND ".join(f"o.{k} IS NOT DISTINCT FROM d.{k}" for k in grain.keys)
    totals = ", ".join(f"CAST(coalesce(o.{v}, 0) + d.{v} AS {t}) AS {v}" for v, t in grain.values)
    moved = " OR ".join(f"d.{v} <> 0" for v, _ in grain.values)
    runner.materialise(f"changes_{name}", f"""
        WITH delta AS (
            SELECT {keys}, {summed} FROM (
                SELECT {keys}, {negated} FROM ({before}) AS b
                UNION ALL
                SELECT {keys}, {", ".join(v for v, _ in grain.values)} FROM ({after}) AS a
            ) GROUP BY {keys}
        )
        SELECT {", ".join(f"d.{k}" for k in grain.keys)}, {totals}
        FROM delta AS d LEFT JOIN old_{name} AS o ON {same}
        WHERE {moved}""")


def _aggregate_state_sql(name: str) -> str:
    """The aggregate after this batch: the previous one with the changed groups replaced."""
    grain = outputs.AGGREGATE_GRAIN[name]
    same = " AND ".join(f"o.{k} IS NOT DISTINCT FROM c.{k}" for k in grain.keys)
    return (f"SELECT * FROM old_{name} AS o WHERE NOT EXISTS (SELECT 1 FROM changes_{name} "
            f"AS c WHERE {same}) UNION ALL SELECT * FROM changes_{name} "
            f"WHERE {grain.count} > 0")


def _transform_batch(runner: SqlRunner, raw: dict[str, RawTable], batch_id: str,
                     processed_uri: str, before: State, *, write_outputs: bool = True,
                     truncates: dict[str, tuple[Truncate, ...]] | None = None,
                     ) -> tuple[BatchCounts, State]:
    """One raw batch against the state before it: its outputs, counts and the next state."""
    runner.materialise("run_batch", f"SELECT CAST({_quote(batch_id)} AS VARCHAR) AS batch_id, "
                                    "CAST(0 AS INTEGER) AS batch")
    _register_state(runner, before, raw)
    for name, events in (truncates or {}).items():
        if name in raw:  # a truncate is every live id's delete: rows of the batch from here on
            raw[name] = truncate.apply(runner, TABLES_BY_NAME[name], raw[name], events)
    for table in TABLES:
        for rel in render_all(table, raw[table.name].typed, raw[table.name].changes):
            (runner.materialise if rel.materialise else runner.view)(rel.name, rel.sql)
    for name in outputs.AGGREGATES:
        if name in before.aggregates:
            runner.register(f"old_{name}", state_store.dataset([before.aggregates[name]]))
        _maintain_aggregate(runner, name, name in before.aggregates)

    written: dict[str, int] = {}
    this = "(SELECT batch FROM run_batch)"
    with BackgroundWriter(in_flight=2) as writer:
        for name in outputs.OUTPUT_TABLES:
            if name in outputs.AGGREGATES:
                query = f"SELECT * FROM changes_{name} ORDER BY ALL"
            elif name in outputs.DIMENSIONS:
                query = _dimension_sql(name)
            else:
                query = sql_file(name)
            data = runner.fetch(query)
            if write_outputs:
                writer.write(outputs.table_uri(processed_uri, batch_id, name), data)
            written[name] = data.num_rows
        quarantine = _quarantine(runner, raw, this)
        if write_outputs:
            writer.write(outputs.quarantine_uri(processed_uri, batch_id), quarantine)

    counts: dict[str, dict[str, int]] = {}
    for t in TABLES:
        read = runner.scalar(f"SELECT count(*) FROM raw_{t.name}")
        versions, bad = runner.row(f"SELECT count(*), count(_rule) FROM checked_{t.name}")
        counts[t.name] = {"read": read, "duplicates": read - versions, "rows_in": versions,
                          "rows_out": versions - bad, "quarantined": bad}
    result = BatchCounts(batch_id, counts)
    if result.total("quarantined") != quarantine.num_rows:
        raise TransformError(f"batch {batch_id}: quarantine file disagrees with the counts")
    after = _next_state(runner, processed_uri, before, batch_id, counts, written)
    if write_outputs:
        storage.write_json(outputs.success_uri(processed_uri, batch_id), {
            "batch_id": batch_id,
            "source_tables": counts,
            "outputs": written,
            "quarantined": quarantine.num_rows,
        })
    state_store.discard_superseded(processed_uri, before, after)
    return result, after


def _next_state(runner: SqlRunner, processed_uri: str, before: State, batch_id: str,
                counts: dict[str, dict[str, int]], written: dict[str, int]) -> State:
    """Write what changed as new files and commit the state of ``batch_id`` (its manifest)."""
    after = State(batch_id=batch_id,
                  current={t: list(v) for t, v in before.current.items()},
                  seen={t: list(v) for t, v in before.seen.items()},
                  aggregates=dict(before.aggregates), rows=dict(before.rows))

    def write(kind: str, name: str, query: str) -> str:
        uri = state_store.new_file_uri(processed_uri, name, kind)
        after.rows[uri] = state_store.write(uri, runner.reader(query))
        return uri

    keys = ", ".join(VERSION_KEY)
    for t in TABLES:
        seen = after.seen.setdefault(t.name, [])
        if counts[t.name]["rows_in"] and len(seen) >= state_store.COMPACT_AFTER:
            seen[:] = [write("seen", t.name, f"SELECT {keys} FROM seen_{t.name} "
                                             f"UNION ALL SELECT {keys} FROM versions_{t.name}")]
        elif counts[t.name]["rows_in"]:
            seen.append(write("seen", t.name, f"SELECT {keys} FROM versions_{t.name}"))
        if not runner.scalar(f"SELECT count(*) FROM changed_{t.name}"):
            continue
        files = after.current.setdefault(t.name, [])
        if not files or len(files) > state_store.COMPACT_AFTER:
            files[:] = [write("current", t.name, f"SELECT * FROM current_{t.name}")]
        else:
            files.append(write("delta", t.name, f"SELECT * FROM changed_{t.name}"))
    for name in outputs.AGGREGATES:
        if written[name] or name not in before.aggregates:
            after.aggregates[name] = write("aggregate", name, _aggregate_state_sql(name))
    live = set(after.files())
    after.rows = {u: n for u, n in after.rows.items() if u in live}
    state_store.commit(processed_uri, after)
    return after


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


def _one_batch(batch: RawBatch, processed_uri: str, before: State, engine: EngineConfig, *,
               write_outputs: bool = True) -> tuple[BatchCounts, State]:
    """A fresh engine per batch, so nothing of one batch's relations outlives it."""
    runner = SqlRunner(memory_limit_mb=default_memory_limit_mb(engine.memory_mb),
                       spill_root=engine.spill_dir)
    try:
        runner.register("ref_currency", currency_reference())
        raw_tables = {table.name: read_table(table, [batch]) for table in TABLES}
        return _transform_batch(runner, raw_tables, batch.batch_id, processed_uri, before,
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
