"""Render the typing and validation SQL of a source table from its contract.

The SQL is rendered, not hand-written per table, because the 11 tables share one set of rules
and a rule changed in one place must change for all. The output is plain SQL over named
relations (``raw_<t>``, ``checked_<parent>``), so it runs on any engine that has TRY_CAST;
``render_all`` returns it for review.

Relations produced per table ``t``:

- ``versions_<t>``: one row per distinct version (id, last_updated), the first copy seen;
  ``_batch`` is the position of the batch that first delivered the version (see
  ``raw.LINEAGE``).
- ``checked_<t>``: the version typed, with ``_rule``/``_column`` of the first rule it breaks
  (NULL when valid); the stage renders the raw values of the rows that break one.
- ``valid_<t>``: ids with a valid version and the first batch that had one (``valid_from``).
  A reference is judged against the parent as of the child's own batch, so a row's verdict
  never changes when later batches are recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.transform.contract import BOOL, DATE_TYPES, INT, MONEY, Column, SourceTable


@dataclass(frozen=True)
class Relation:
    """A rendered relation; ``materialise`` when later steps read it more than once."""

    name: str
    sql: str
    materialise: bool


def _version_part(column: str, type_: str, typed: frozenset[str]) -> str:
    # Typed when possible so '7'/'7.0'-style or 'T'-vs-space timestamp spellings from
    # different exports are one version; raw text when untypable so bad rows still dedupe.
    # A column that arrived typed already is its own key: no spelling can differ.
    if column in typed:
        return column
    return f"coalesce(CAST(TRY_CAST({column} AS {type_}) AS VARCHAR), {column}, '')"


def render_versions(table: SourceTable, typed: frozenset[str] = frozenset()) -> str:
    """The first copy of each version. Duplicates are rare (the ingest overlap), so only the
    keys that occur twice are ranked; every other row passes through without a sort."""
    k = _version_part(table.key, "BIGINT", typed)
    lu = _version_part("last_updated", "TIMESTAMP", typed)
    return f"""
WITH keyed AS (SELECT _seq, {k} AS _k, {lu} AS _lu FROM raw_{table.name}),
twice AS (SELECT _k, _lu FROM keyed GROUP BY _k, _lu HAVING count(*) > 1),
dropped AS (
    SELECT _seq FROM (
        SELECT k._seq, row_number() OVER (
            PARTITION BY k._k, k._lu ORDER BY k._seq) AS _rn
        FROM keyed AS k
        SEMI JOIN twice AS d ON k._k IS NOT DISTINCT FROM d._k
            AND k._lu IS NOT DISTINCT FROM d._lu
    ) WHERE _rn > 1
)
SELECT r.* FROM raw_{table.name} AS r ANTI JOIN dropped USING (_seq)
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


def render_checked(table: SourceTable, typed: frozenset[str] = frozenset()) -> str:
    """Each version typed, with the first rule it breaks. The raw values for the quarantine are
    not carried here: the stage renders them only for the few rows that break a rule."""
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
        f"LEFT JOIN valid_{c.references} AS p_{c.name} ON p_{c.name}.id = t.{c.name}"
        for c in references)
    rule_case = "\n".join(f"        WHEN {cond} THEN '{rule}'" for rule, _, cond in checks)
    column_case = "\n".join(f"        WHEN {cond} THEN '{col}'" for _, col, cond in checks)
    typed_cols = ",\n        ".join(
        f"{c.name if c.name in typed else _cast(c.name, c.type)} AS {c.name}" for c in cols)
    raw_cols = "".join(f",\n        {c.name} AS _r_{c.name}" for c in cols if _parsed(c, typed))
    out_cols = ", ".join(f"t.{c.name}" for c in cols)
    return f"""
SELECT
    t._batch, t._seq, {out_cols},
    CASE
{rule_case}
    END AS _rule,
    CASE
{column_case}
    END AS _column
FROM (
    SELECT
        _batch, _seq,
        {typed_cols}{raw_cols}
    FROM versions_{table.name}
) AS t
{joins}
"""


def render_valid(table: SourceTable) -> str:
    """Per valid id: the first batch with a valid version, and which version is the latest
    (greatest last_updated, then batch, then arrival), found in the same pass. ``_seq`` grows
    with the batch, so (last_updated, _seq) orders versions exactly so, without a string."""
    return f"""
SELECT {table.key} AS id, min(_batch) AS valid_from,
       arg_max(_seq, (last_updated, _seq)) AS latest_seq
FROM checked_{table.name} WHERE _rule IS NULL GROUP BY {table.key}
"""


def render_current(table: SourceTable) -> str:
    """The latest valid version of each id: what dimensions and aggregates are built from."""
    return f"""
SELECT c.* FROM checked_{table.name} AS c
SEMI JOIN valid_{table.name} AS v ON v.latest_seq = c._seq
"""


def render_all(table: SourceTable, typed: frozenset[str] = frozenset()) -> list[Relation]:
    """Every rendered relation of a table, in the order it must be created.

    ``versions_`` and ``current_`` are read once each, so they stay views: materialising them
    would hold two more copies of the biggest tables for nothing.
    """
    return [
        Relation(f"versions_{table.name}", render_versions(table, typed), materialise=False),
        Relation(f"checked_{table.name}", render_checked(table, typed), materialise=True),
        Relation(f"valid_{table.name}", render_valid(table), materialise=True),
        Relation(f"current_{table.name}", render_current(table), materialise=False),
    ]
