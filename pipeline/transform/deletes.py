"""A delete from the change stream as a version: the values of the version it deletes.

With the default replica identity a delete carries only the key; with ``REPLICA IDENTITY
FULL`` it carries the old row. Either way WAREHOUSE.md records it as one fact version whose
columns are the last version's values, last_updated its commit time and ``is_deleted`` true,
and the dimension keeps that row, marked deleted. So each delete takes the values of the last
valid version of its id before it in commit order: an earlier change of the same batch, else
the compacted state's latest version (deleted rows stay in the state with their values, so a
delete of a delete still finds them). A delete of an id with no valid version before it is
judged on its own values, as any other version: a key-only one then breaks ``missing_value``
and is quarantined, not silently dropped.

Input: ``typed_<t>`` (``render_checked`` with ``changes``: every version typed, a delete's
last_updated already its commit time) and ``state_<t>``. Output: ``checked_<t>``, the same
columns, one row per version.
"""

from __future__ import annotations

from pipeline.transform.contract import SourceTable


def render_filled(table: SourceTable, keys: tuple[str, ...]) -> str:
    """``checked_<t>``: ``typed_<t>`` with every delete's values taken from its version.

    ``keys`` are the version key columns ``typed_<t>`` carries (``validate.VERSION_KEY``, the
    commit position among them): a delete keeps its own, as it is its own version."""
    t, k = table.name, table.key
    own = (k, "last_updated")  # the delete's own: its id, and its commit time
    filled = ",\n    ".join(
        f"d.{c.name}" if c.name in own else
        f"CASE WHEN e._p IS NOT NULL THEN p.{c.name} WHEN s.{k} IS NOT NULL THEN s.{c.name} "
        f"ELSE d.{c.name} END AS {c.name}" for c in table.all_columns)
    found = f"e._p IS NOT NULL OR s.{k} IS NOT NULL"
    columns = ["_batch", "_seq", *(c.name for c in table.all_columns), *keys,
               "_deleted", "_rule", "_column"]
    return f"""
WITH deletes AS (
    SELECT _seq, {k}, _lsn, _ord FROM typed_{t} WHERE _deleted AND {k} IS NOT NULL
),
earlier AS (
    SELECT d._seq AS _d, arg_max(p._seq, (p._lsn, p._ord, p._seq)) AS _p
    FROM deletes AS d JOIN typed_{t} AS p ON p.{k} = d.{k}
    WHERE p._rule IS NULL AND NOT p._deleted
      AND (p._lsn, p._ord, p._seq) < (d._lsn, d._ord, d._seq)
    GROUP BY d._seq
),
stated AS (  -- the state is the big side: it probes the few deletes, never the other way
    SELECT s.* FROM state_{t} AS s SEMI JOIN deletes AS d ON d.{k} = s.{k}
)
SELECT {", ".join(columns)} FROM typed_{t} WHERE NOT _deleted
UNION ALL
SELECT
    d._batch, d._seq,
    {filled},
    {", ".join(f"d.{c}" for c in keys)}, d._deleted,
    CASE WHEN {found} THEN NULL ELSE d._rule END AS _rule,
    CASE WHEN {found} THEN NULL ELSE d._column END AS _column
FROM typed_{t} AS d
LEFT JOIN earlier AS e ON e._d = d._seq
LEFT JOIN typed_{t} AS p ON p._seq = e._p
LEFT JOIN stated AS s ON s.{k} = d.{k}
WHERE d._deleted
"""
