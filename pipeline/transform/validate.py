"""Render the typing and validation SQL of a source table from its contract.

The SQL is rendered, not hand-written per table, because the 11 tables share one set of rules
and a rule changed in one place must change for all. The output is plain SQL over named
relations, so it runs on any engine that has TRY_CAST; ``render_all`` returns it for review.

Inputs per table ``t``: ``raw_<t>`` (the batch's raw rows), ``seen_<t>`` (the version keys of
every earlier batch) and ``state_<t>`` (the latest valid version of every id before the batch),
both from the compacted state (``state.py``). Relations produced:

- ``versions_<t>``: one row per version no earlier batch delivered, the first copy seen, with
  its version key (``VERSION_KEY``): (id, last_updated) for the watermark source, (id, commit
  position) for the change stream (``changes``), where every committed change is a version.
- ``checked_<t>``: the version typed, with its version key, ``_deleted`` and ``_rule``/``_column``
  of the first rule it breaks (NULL when valid); the stage renders the raw values of the rows
  that break one. ``versions_<t>`` is only a view under it: the batch is copied once, typed.
  From the change stream a delete's version is the last valid version before it (in the batch
  or the state: a delete may carry only the key) with last_updated = its commit time
  (``deletes.py``).
- ``valid_<t>``: ids with a valid version by this batch (``valid_from`` 0: earlier batches and
  this one count alike). A reference is judged against its parent as of the child's batch, so
  a verdict never depends on later batches.
- ``changed_<t>``: the ids whose latest valid version this batch replaces (greatest
  last_updated, then arrival; commit position for the change stream), with that version and
  ``is_deleted``: what dimensions and aggregates must redo.
- ``current_<t>``: the state with those versions swapped in: the state after this batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.transform.contract import BOOL, DATE_TYPES, INT, MONEY, Column, SourceTable
from pipeline.transform.deletes import render_filled


@dataclass(frozen=True)
class Relation:
    """A rendered relation; ``materialise`` when later steps read it more than once."""

    name: str
    sql: str
    materialise: bool


# The version key ``(_k, _kx, _lu, _lux)``: the id and last_updated typed when they type
# (so '7'/'7.0'-style or 'T'-vs-space spellings from different exports are one version), and
# the raw text (NULL as '') only when they do not, so bad rows still de-duplicate. Typed values
# stay typed, so a batch that arrived typed costs no string work, and the key has one shape in
# the state whichever way a batch arrived. ``(_lsn, _ord)`` is a change's commit position, NULL
# for the watermark source: two changes with the same id and last_updated are two versions.
# ``_lu`` stays the raw last_updated for both, so ``seen``'s pruning by its range holds.
VERSION_KEY: tuple[str, ...] = ("_k", "_kx", "_lu", "_lux", "_lsn", "_ord")


def _version_part(column: str, type_: str, typed: frozenset[str]) -> tuple[str, str]:
    if column in typed:
        return f"CAST({column} AS {type_})", f"CASE WHEN {column} IS NULL THEN '' END"
    value = f"TRY_CAST({column} AS {type_})"
    return value, f"CASE WHEN {value} IS NULL THEN coalesce(CAST({column} AS VARCHAR), '') END"


def _same_version(a: str, b: str) -> str:
    return " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" for c in VERSION_KEY)


def render_version_range(table: SourceTable, typed: frozenset[str] = frozenset()) -> str:
    """The batch's rows, and the range and NULL count of their typed last_updated: the only part
    of ``seen_<t>`` that can hold one of its versions (``seen`` files are sorted by it)."""
    lu, _ = _version_part("last_updated", "TIMESTAMP", typed)
    return (f"SELECT count(*), min({lu}), max({lu}), count(*) - count({lu}) "
            f"FROM raw_{table.name}")


def render_versions(table: SourceTable, typed: frozenset[str] = frozenset(),
                    changes: bool = False) -> str:
    """The first copy of each version no earlier batch delivered. Duplicates are rare (the
    ingest overlap), so only the keys that occur twice are ranked; every other row passes
    through without a sort. ``seen_<t>`` is the big side: it is scanned once and probes a hash
    of the batch's keys, never the other way round."""
    k, kx = _version_part(table.key, "BIGINT", typed)
    lu, lux = _version_part("last_updated", "TIMESTAMP", typed)
    keys = ", ".join(VERSION_KEY)
    position = "" if changes else ", CAST(NULL AS BIGINT) AS _lsn, CAST(NULL AS INTEGER) AS _ord"
    return f"""
WITH keyed AS (
    SELECT *, {k} AS _k, {kx} AS _kx, {lu} AS _lu, {lux} AS _lux{position} FROM raw_{table.name}
),
twice AS (SELECT {keys} FROM keyed GROUP BY ALL HAVING count(*) > 1),
earlier AS (
    SELECT {", ".join(f"s.{c}" for c in VERSION_KEY)} FROM seen_{table.name} AS s
    SEMI JOIN keyed AS k ON {_same_version("s", "k")}
),
dropped AS (
    SELECT _seq FROM (
        SELECT k._seq, row_number() OVER (PARTITION BY {", ".join(f"k.{c}" for c in
                                                              VERSION_KEY)}
                                          ORDER BY k._seq) AS _rn
        FROM keyed AS k SEMI JOIN twice AS d ON {_same_version("k", "d")}
    ) WHERE _rn > 1
    UNION ALL
    SELECT k._seq FROM keyed AS k SEMI JOIN earlier AS e ON {_same_version("k", "e")}
)
SELECT * FROM keyed ANTI JOIN dropped USING (_seq)
"""


def _bad_cast(col: str) -> str:
    # An empty string in a typed column is an export's way of writing NULL, not a bad value.
    return f"(nullif(trim(_r_{col}), '') IS NOT NULL AND {col} IS NULL)"


def _cast(col: str, type_: str) -> str:
    if type_ == BOOL:  # exports spell booleans many ways; DuckDB reads true/t/1/yes and false/f/0
        return f"TRY_CAST(lower(nullif(trim({col}), '')) AS BOOLEAN)"
    if type_ in (INT, MONEY) or type_ in DATE_TYPES:
        return f"TRY_CAST(nullif(trim({col}), '') AS {type_})"
    return col


def _parsed(column: Column, typed: frozenset[str]) -> bool:
    """True when the column is parsed from text here, so parsing can fail."""
    return column.type in (INT, MONEY, BOOL, *DATE_TYPES) and column.name not in typed


def _parents(table: SourceTable, column: Column, typed: frozenset[str], first: bool) -> str:
    """The parent ids a reference column is checked against. After the first batch, only
    those the batch's raw rows name: the parent's ids are scanned against a hash of those,
    and the check joins the few that match, never a hash of every id the state holds."""
    parent = f"valid_{column.references}"
    if first:
        return parent
    value = column.name if column.name in typed else _cast(column.name, column.type)
    return (f"(SELECT id, valid_from FROM {parent} WHERE id IN "
            f"(SELECT {value} FROM raw_{table.name}))")


def render_checked(table: SourceTable, typed: frozenset[str] = frozenset(),
                   first: bool = True, changes: bool = False) -> str:
    """Each version typed, with the first rule it breaks. The raw values for the quarantine are
    not carried here: the stage renders them only for the few rows that break a rule.

    With ``changes`` a delete's last_updated is its commit time, and it is judged on its own
    values here; ``render_filled`` then gives it the values of the version it deletes."""
    cols = table.all_columns
    k = table.key
    checks: list[tuple[str, str, str]] = [  # (rule, column, condition)
        ("invalid_key", k, f"{k} IS NULL"),
        ("invalid_key", "last_updated", "last_updated IS NULL"),
    ]
    checks += [("invalid_date", c.name, _bad_cast(c.name))
               for c in cols if c.type in DATE_TYPES and c.name != "last_updated"
               and _parsed(c, typed)]
    checks += [("invalid_value", c.name, _bad_cast(c.name))
               for c in cols if c.type in (INT, MONEY, BOOL) and c.name != k
               and _parsed(c, typed)]
    checks += [("invalid_value", c.name, f"length({c.name}) > {c.max_length}")
               for c in cols if c.max_length is not None]
    checks += [("missing_value", c.name, f"{c.name} IS NULL")
               for c in cols if not c.nullable and c.name not in (k, "last_updated")]
    checks += [("negative_value", c.name, f"{c.name} < 0") for c in cols if c.non_negative]
    # A reference is known when the parent had a valid version by the child's own batch.
    references = [c for c in cols if c.references]
    checks += [
        ("unknown_reference", c.name,
         f"({c.name} IS NOT NULL AND (p_{c.name}.id IS NULL "
         f"OR p_{c.name}.valid_from > t._batch))")
        for c in references
    ]
    joins = "\n".join(
        f"LEFT JOIN {_parents(table, c, typed, first)} AS p_{c.name} "
        f"ON p_{c.name}.id = t.{c.name}"
        for c in references)
    rule_case = "\n".join(f"        WHEN {cond} THEN '{rule}'" for rule, _, cond in checks)
    column_case = "\n".join(f"        WHEN {cond} THEN '{col}'" for _, col, cond in checks)
    values = {c.name: c.name if c.name in typed else _cast(c.name, c.type) for c in cols}
    deleted = "false"
    if changes:
        values["last_updated"] = (f"CASE WHEN _op = 'delete' THEN _ctime "
                                  f"ELSE {values['last_updated']} END")
        deleted = "coalesce(_op = 'delete', false)"
    typed_cols = ",\n        ".join(f"{values[c.name]} AS {c.name}" for c in cols)
    raw_cols = "".join(f",\n        {c.name} AS _r_{c.name}" for c in cols if _parsed(c, typed))
    out_cols = ", ".join(f"t.{c.name}" for c in cols)
    keys = ", ".join(VERSION_KEY)
    return f"""
SELECT
    t._batch, t._seq, {out_cols}, {", ".join(f"t.{c}" for c in VERSION_KEY)}, t._deleted,
    CASE
{rule_case}
    END AS _rule,
    CASE
{column_case}
    END AS _column
FROM (
    SELECT
        _batch, _seq, {keys}, {deleted} AS _deleted,
        {typed_cols}{raw_cols}
    FROM versions_{table.name}
) AS t
{joins}
"""


def render_valid_new(table: SourceTable) -> str:
    """Ids with a valid version in this batch and none in the state: the state is scanned once
    against a hash of the batch's ids, never hashed itself."""
    k = table.key
    return f"""
WITH batch_ids AS (SELECT DISTINCT {k} FROM checked_{table.name} WHERE _rule IS NULL)
SELECT {k} FROM batch_ids ANTI JOIN (
    SELECT s.{k} FROM state_{table.name} AS s SEMI JOIN batch_ids AS b ON b.{k} = s.{k}
) AS known USING ({k})
"""


def render_valid(table: SourceTable) -> str:
    """Ids with a valid version before or in this batch, each once (the state's ids are)."""
    k = table.key
    return f"""
SELECT {k} AS id, 0 AS valid_from FROM state_{table.name}
UNION ALL
SELECT {k}, 0 FROM valid_new_{table.name}
"""


# What the state keeps of a version besides its columns: whether it is a delete, and its
# change position (the order of the change stream's versions).
STATE_EXTRA: tuple[str, ...] = ("is_deleted", "_lsn", "_ord")


def _state_columns(table: SourceTable, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(f"{prefix}{c}" for c in (*(c.name for c in table.all_columns),
                                              *STATE_EXTRA))


def render_changed(table: SourceTable, changes: bool = False) -> str:
    """The batch's latest valid version per id, where it is newer than the state's.

    Most ids have one valid version in a batch and pass through; only ids with several are
    ranked. ``_seq`` grows with arrival, so (last_updated, _seq) orders a batch's versions
    exactly; a version of an earlier batch with the same last_updated is the same version, already
    de-duplicated, so a tie with the state cannot happen and ``>=`` keeps the newer batch's.
    From the change stream, commit order decides, whatever last_updated says: the greatest
    (_lsn, _ord) wins, and a state version is newer only when it is a change with a greater
    position (a watermark version in the state came before the stream).
    """
    k = table.key
    columns = ", ".join(c.name for c in table.all_columns)
    valid = (f"SELECT {columns}, _deleted AS is_deleted, _lsn, _ord, _seq "
             f"FROM checked_{table.name} WHERE _rule IS NULL")
    order = "(v._lsn, v._ord, v._seq) DESC" if changes else "v.last_updated DESC, v._seq DESC"
    newer = ("b._lsn IS NOT NULL AND (b._lsn, b._ord) > (n._lsn, n._ord)" if changes
             else "b.last_updated > n.last_updated")
    return f"""
WITH several AS (
    SELECT {k} FROM checked_{table.name} WHERE _rule IS NULL GROUP BY {k} HAVING count(*) > 1
),
latest AS (
    SELECT {_state_columns(table, "v")}, row_number() OVER (
        PARTITION BY v.{k} ORDER BY {order}) AS _rn
    FROM ({valid}) AS v SEMI JOIN several AS m ON m.{k} = v.{k}
),
candidates AS (
    SELECT {_state_columns(table, "v")} FROM ({valid}) AS v ANTI JOIN several AS m ON m.{k} = v.{k}
    UNION ALL
    SELECT {_state_columns(table)} FROM latest WHERE _rn = 1
),
before AS (
    SELECT s.{k}, s.last_updated, s._lsn, s._ord FROM state_{table.name} AS s
    SEMI JOIN candidates AS n ON n.{k} = s.{k}
)
SELECT n.* FROM candidates AS n
ANTI JOIN before AS b ON b.{k} = n.{k} AND {newer}
"""


def render_current(table: SourceTable) -> str:
    """The state after this batch: what dimensions and aggregates are built from."""
    cols = _state_columns(table)
    return f"""
SELECT {cols} FROM state_{table.name} ANTI JOIN changed_{table.name} USING ({table.key})
UNION ALL
SELECT {cols} FROM changed_{table.name}
"""


def render_all(table: SourceTable, typed: frozenset[str] = frozenset(),
               changes: bool = False, first: bool = True) -> list[Relation]:
    """Every rendered relation of a table, in the order it must be created.

    The batch's relations are materialised (each is read several times and is as small as the
    batch), except ``versions_``, which only ``checked_`` reads; ``current_`` is a view over the
    state, streamed by whatever reads it. A batch from the change stream (``changes``) types its
    versions into ``typed_<t>`` first, and ``checked_<t>`` fills its deletes from there.
    """
    name = table.name
    checked = [Relation(f"checked_{name}", render_checked(table, typed, first),
                        materialise=True)]
    if changes:
        checked = [Relation(f"typed_{name}", render_checked(table, typed, first, changes=True),
                            materialise=True),
                   Relation(f"checked_{name}", render_filled(table, VERSION_KEY),
                            materialise=True)]
    return [
        Relation(f"versions_{name}", render_versions(table, typed, changes), materialise=False),
        *checked,
        Relation(f"valid_new_{name}", render_valid_new(table), materialise=True),
        Relation(f"valid_{name}", render_valid(table), materialise=False),
        Relation(f"changed_{name}", render_changed(table, changes), materialise=True),
        Relation(f"current_{name}", render_current(table), materialise=False),
    ]
