"""The compacted state (``state.py``) as relations of a batch's SQL, and the next state written
from the batch's relations: what changed, as new files."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.dataset as pads

from pipeline.transform import aggregates, outputs
from pipeline.transform import state as state_store
from pipeline.transform.contract import TABLES, SourceTable
from pipeline.transform.engine import SqlRunner
from pipeline.transform.raw import CURRENT_SCHEMAS, SEEN_SCHEMA, RawTable
from pipeline.transform.state import State
from pipeline.transform.validate import VERSION_KEY, render_version_range


def _seen(runner: SqlRunner, table: SourceTable, files: list[str], typed: frozenset[str],
          ) -> pa.Table | pads.Dataset:
    """The part of ``seen`` that can hold a version of this batch: a version is the same only
    with the same last_updated, and ``seen`` files are sorted by it, so row groups outside the
    batch's range are skipped on their statistics (a batch of recent changes reads the newest
    row group of each file, not the history). A batch with an untypable last_updated reads
    all of it."""
    if not files:
        return SEEN_SCHEMA.empty_table()
    rows, low, high, untyped = runner.first(render_version_range(table, typed))
    if not rows:
        return SEEN_SCHEMA.empty_table()
    seen = state_store.dataset(files, SEEN_SCHEMA)
    if untyped:
        return seen
    lu = pads.field("_lu")
    kind = SEEN_SCHEMA.field("_lu").type
    return seen.to_table(filter=(lu >= pa.scalar(low, kind)) & (lu <= pa.scalar(high, kind)))


def register_seen(runner: SqlRunner, current: State, table: SourceTable, raw: RawTable,
                  ) -> None:
    """``seen_<t>`` and ``seen_all_<t>`` for the batch's raw rows as they are now (again after a
    truncate added its deletes: their range decides which part of ``seen`` is read)."""
    files = current.seen.get(table.name, [])
    runner.register(f"seen_{table.name}", _seen(runner, table, files, raw.typed))
    runner.register(f"seen_all_{table.name}", state_store.dataset(files, SEEN_SCHEMA))


def register(runner: SqlRunner, current: State, raw: dict[str, RawTable]) -> None:
    """The state's files as relations: ``seen_<t>`` (the part a batch can meet, see ``_seen``),
    ``seen_all_<t>``, ``state_<t>`` (the base with the newest delta row of every id the deltas
    hold swapped in) and ``agg_<a>_<i>`` (an aggregate's base and deltas, see ``aggregates``)."""
    for table in TABLES:
        name, key = table.name, table.key
        register_seen(runner, current, table, raw[name])
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
    for name, files in current.aggregates.items():
        for i, uri in enumerate(files):
            runner.register(f"agg_{name}_{i}", state_store.dataset([uri]))
        aggregates.register_old(runner, name, len(files))


def next_state(runner: SqlRunner, processed_uri: str, before: State, batch_id: str,
               counts: dict[str, dict[str, int]], written: dict[str, int]) -> State:
    """Write what changed as new files and commit the state of ``batch_id`` (its manifest)."""
    after = State(batch_id=batch_id,
                  current={t: list(v) for t, v in before.current.items()},
                  seen={t: list(v) for t, v in before.seen.items()},
                  aggregates={a: list(v) for a, v in before.aggregates.items()},
                  rows=dict(before.rows))

    def write(kind: str, name: str, query: str) -> str:
        uri = state_store.new_file_uri(processed_uri, name, kind)
        after.rows[uri] = state_store.write(uri, lambda path: runner.copy(query, path),
                                            runner.scratch)
        return uri

    keys = ", ".join(VERSION_KEY)
    for t in TABLES:
        seen = after.seen.setdefault(t.name, [])
        if counts[t.name]["rows_in"] and len(seen) >= state_store.COMPACT_AFTER:
            seen[:] = [write("seen", t.name, f"SELECT {keys} FROM seen_all_{t.name} UNION ALL "
                                             f"SELECT {keys} FROM checked_{t.name} "
                                             "ORDER BY _lu NULLS FIRST")]
        elif counts[t.name]["rows_in"]:
            seen.append(write("seen", t.name, f"SELECT {keys} FROM checked_{t.name} "
                                              "ORDER BY _lu NULLS FIRST"))
        if not runner.scalar(f"SELECT count(*) FROM changed_{t.name}"):
            continue
        files = after.current.setdefault(t.name, [])
        if not files or len(files) > state_store.COMPACT_AFTER:
            files[:] = [write("current", t.name, f"SELECT * FROM current_{t.name}")]
        else:
            files.append(write("delta", t.name, f"SELECT * FROM changed_{t.name}"))
    for name in outputs.AGGREGATES:
        had_state = name in before.aggregates
        if had_state and not written[name]:
            continue
        files = after.aggregates.setdefault(name, [])
        if not files or len(files) > state_store.COMPACT_AFTER:
            files[:] = [write("aggregate", name, aggregates.compacted_sql(name, had_state))]
        else:
            files.append(write("aggregate-delta", name, f"SELECT * FROM changes_{name}"))
    live = set(after.files())
    after.rows = {u: n for u, n in after.rows.items() if u in live}
    state_store.commit(processed_uri, after)
    return after
