"""Aggregates maintained from the rows a batch affects, not recomputed over the whole state.

The state keeps each aggregate as a base file and the deltas of the batches since (the groups a
batch changed, a group that is gone with a zero count), like the source tables' ``current``:
a batch writes what it changed, and the base is rewritten only every ``COMPACT_AFTER`` batches.
"""

from __future__ import annotations

import re

from pipeline.transform import outputs
from pipeline.transform.contract import TABLES_BY_NAME
from pipeline.transform.engine import SqlRunner, sql_file
from pipeline.transform.validate import STATE_EXTRA


def _relations(sql: str, renames: dict[str, str]) -> str:
    """An output's SQL over other relations of the same shape (its inputs are named in it)."""
    return re.sub(r"\b(" + "|".join(renames) + r")\b", lambda m: renames[m.group(1)], sql)


def _same(grain: outputs.Aggregate, a: str, b: str) -> str:
    return " AND ".join(f"{a}.{k} IS NOT DISTINCT FROM {b}.{k}" for k in grain.keys)


def register_old(runner: SqlRunner, name: str, files: int) -> None:
    """``old_<agg>``: the aggregate before this batch, from ``agg_<agg>_<i>`` (base, deltas).

    The newest row of a group wins; a zero count is a group that is gone."""
    grain = outputs.AGGREGATE_GRAIN[name]
    if files <= 1:
        runner.view(f"old_{name}", f"SELECT * FROM agg_{name}_0")
        return
    keys = ", ".join(grain.keys)
    stacked = " UNION ALL ".join(f"SELECT *, {i} AS _f FROM agg_{name}_{i}"
                                 for i in range(1, files))
    runner.materialise(f"agg_newest_{name}", f"""
        SELECT * EXCLUDE (_f, _rn) FROM (
            SELECT *, row_number() OVER (PARTITION BY {keys} ORDER BY _f DESC) AS _rn
            FROM ({stacked})
        ) WHERE _rn = 1""")
    runner.view(f"old_{name}", f"""
        SELECT * FROM agg_{name}_0 AS o
        WHERE NOT EXISTS (SELECT 1 FROM agg_newest_{name} AS c WHERE {_same(grain, "o", "c")})
        UNION ALL SELECT * FROM agg_newest_{name} WHERE {grain.count} > 0""")


def maintain(runner: SqlRunner, name: str, had_state: bool) -> None:
    """``changes_<agg>``: the groups whose values this batch changes, with their new values.

    Only the rows the batch affects are aggregated (the ids it changed, and the rows of parents
    it changed, such as orders delivered to an address whose country moved), once as they were
    (the state before, old parents) with the sign flipped and once as they are; the sums are
    added to the previous aggregate's values of those groups. Counts and exact decimal sums
    make this equal to recomputing, and cost the batch, not the history. Without a state the
    aggregate is simply computed: every row is new.
    """
    grain = outputs.AGGREGATE_GRAIN[name]
    if not had_state:
        runner.materialise(f"changes_{name}", sql_file(name))
        return
    src, key = grain.source, TABLES_BY_NAME[grain.source].key
    via = " OR ".join(f"{column} IN (SELECT {TABLES_BY_NAME[parent].key} FROM changed_{parent})"
                      for parent, column in grain.parents
                      if runner.scalar(f"SELECT count(*) FROM changed_{parent}"))
    moved_by_parents = f" UNION SELECT {key} FROM state_{src} WHERE {via}" if via else ""
    runner.materialise(f"affected_{name}",
                       f"SELECT {key} FROM changed_{src}{moved_by_parents}")
    # The state's rows of the affected ids, read once and only the columns the aggregate names;
    # as they are now, those rows with the batch's versions swapped in (every changed id is
    # affected).
    query = sql_file(name)
    names = (*(c.name for c in TABLES_BY_NAME[src].all_columns), *STATE_EXTRA)
    columns = ", ".join(c for c in names if c == key or re.search(rf"\b{c}\b", query))
    runner.materialise(f"before_{src}", f"SELECT {columns} FROM state_{src} "
                                        f"WHERE {key} IN (SELECT {key} FROM affected_{name})")
    runner.view(f"after_{src}", f"SELECT * FROM before_{src} ANTI JOIN changed_{src} "
                                f"USING ({key}) UNION ALL SELECT {columns} FROM changed_{src}")
    old_parents = {f"current_{p}": f"state_{p}" for p, _ in grain.parents}
    before = _relations(query, {f"current_{src}": f"before_{src}", **old_parents})
    after = _relations(query, {f"current_{src}": f"after_{src}"})
    keys = ", ".join(grain.keys)
    negated = ", ".join(f"-{v} AS {v}" for v, _ in grain.values)
    summed = ", ".join(f"sum({v}) AS {v}" for v, _ in grain.values)
    totals = ", ".join(f"CAST(coalesce(o.{v}, 0) + d.{v} AS {t}) AS {v}" for v, t in grain.values)
    moved = " OR ".join(f"d.{v} <> 0" for v, _ in grain.values)
    runner.materialise(f"delta_{name}", f"""
        SELECT {keys}, {summed} FROM (
            SELECT {keys}, {negated} FROM ({before}) AS b
            UNION ALL
            SELECT {keys}, {", ".join(v for v, _ in grain.values)} FROM ({after}) AS a
        ) GROUP BY {keys}""")
    # The previous values of the touched groups only: the big side is scanned once against a
    # hash of the batch's groups (joins build on their right side here).
    runner.materialise(f"touched_{name}", f"""
        SELECT o.* FROM old_{name} AS o SEMI JOIN delta_{name} AS d ON {_same(grain, "o", "d")}""")
    runner.materialise(f"changes_{name}", f"""
        SELECT {", ".join(f"d.{k}" for k in grain.keys)}, {totals}
        FROM delta_{name} AS d LEFT JOIN touched_{name} AS o ON {_same(grain, "o", "d")}
        WHERE {moved}""")


def compacted_sql(name: str, had_state: bool) -> str:
    """The whole aggregate after this batch: the previous one with the changed groups replaced
    (a new base file)."""
    grain = outputs.AGGREGATE_GRAIN[name]
    if not had_state:
        return f"SELECT * FROM changes_{name} WHERE {grain.count} > 0"
    return (f"SELECT * FROM old_{name} AS o WHERE NOT EXISTS (SELECT 1 FROM changes_{name} "
            f"AS c WHERE {_same(grain, 'o', 'c')}) UNION ALL SELECT * FROM changes_{name} "
            f"WHERE {grain.count} > 0")
