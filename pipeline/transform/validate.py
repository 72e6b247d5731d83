"""Render the typing and validation SQL of a source table from its contract.

The SQL is rendered, not hand-written per table, because the 11 tables share one set of rules
and a rule changed in one place must change for all. The output is plain SQL over named
relations (``raw_<t>``, ``checked_<parent>``), so it runs on any engine that has TRY_CAST;
``render_all`` returns it for review.

Relations produced per table ``t``:

- ``versions_<t>``: one row per distinct version (id, last_updated), the first copy seen;
  ``_batch_id`` is the batch that first delivered the version.
- ``checked_<t>``: the version typed, with ``_rule``/``_column`` of the first rule it breaks
  (NULL when valid) and ``_raw`` (the raw values as JSON) for the quarantine.
- ``valid_<t>``: ids with a valid version and the first batch that had one (``valid_from``).
  A reference is judged against the parent as of the child's own batch, so a row's verdict
  never changes when later batches are recomputed.
"""

from __future__ import annotations

from pipeline.transform.contract import BOOL, DATE_TYPES, INT, MONEY, SourceTable


def _version_key(table: SourceTable) -> str:
    # Typed when possible so '7'/'7.0'-style or 'T'-vs-space timestamp spellings from
    # different exports are one version; raw text when untypable so bad rows still dedupe.
    k, lu = table.key, "last_updated"
    return (f"coalesce(CAST(TRY_CAST({k} AS BIGINT) AS VARCHAR), {k}, '') || '|' || "
            f"coalesce(CAST(TRY_CAST({lu} AS TIMESTAMP) AS VARCHAR), {lu}, '')")


def render_versions(table: SourceTable) -> str:
    return f"""
SELECT * EXCLUDE (_vkey, _rn) FROM (
    SELECT r.*, row_number() OVER (PARTITION BY _vkey ORDER BY _batch_id, _seq) AS _rn
    FROM (SELECT *, {_version_key(table)} AS _vkey FROM raw_{table.name}) AS r
) WHERE _rn = 1
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


def render_checked(table: SourceTable) -> str:
    cols = table.all_columns
    k = table.key
    checks: list[tuple[str, str, str]] = [  # (rule, column, condition)
        ("invalid_key", k, f"{k} IS NULL"),
        ("invalid_key", "last_updated", "last_updated IS NULL"),
    ]
    checks += [("invalid_date", c.name, _bad_cast(c.name))
               for c in cols if c.type in DATE_TYPES and c.name != "last_updated"]
    checks += [("invalid_value", c.name, _bad_cast(c.name))
               for c in cols if c.type in (INT, MONEY, BOOL) and c.name != k]
    checks += [("missing_value", c.name, f"{c.name} IS NULL")
               for c in cols if not c.nullable and c.name not in (k, "last_updated")]
    checks += [("negative_value", c.name, f"{c.name} < 0") for c in cols if c.non_negative]
    checks += [
        ("unknown_reference", c.name,
         f"({c.name} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM valid_{c.references} AS p "
         f"WHERE p.id = t.{c.name} AND p.valid_from <= t._batch_id))")
        for c in cols if c.references
    ]
    rule_case = "\n".join(f"        WHEN {cond} THEN '{rule}'" for rule, _, cond in checks)
    column_case = "\n".join(f"        WHEN {cond} THEN '{col}'" for _, col, cond in checks)
    typed = ",\n        ".join(f"{_cast(c.name, c.type)} AS {c.name}" for c in cols)
    raw_cols = ",\n        ".join(f"{c.name} AS _r_{c.name}" for c in cols)
    raw_json = ", ".join(f"{c.name} := _r_{c.name}" for c in cols)
    out_cols = ", ".join(c.name for c in cols)
    return f"""
SELECT
    _batch_id, _seq, CAST(_r_{k} AS VARCHAR) AS _key, {out_cols},
    CASE
{rule_case}
    END AS _rule,
    CASE
{column_case}
    END AS _column,
    CAST(to_json(struct_pack({raw_json})) AS VARCHAR) AS _raw
FROM (
    SELECT
        _batch_id, _seq,
        {typed},
        {raw_cols}
    FROM versions_{table.name}
) AS t
"""


def render_valid(table: SourceTable) -> str:
    return f"""
SELECT {table.key} AS id, min(_batch_id) AS valid_from
FROM checked_{table.name} WHERE _rule IS NULL GROUP BY {table.key}
"""


def render_current(table: SourceTable) -> str:
    """The latest valid version of each id: what dimensions and aggregates are built from."""
    return f"""
SELECT * FROM checked_{table.name} WHERE _rule IS NULL
QUALIFY row_number() OVER (
    PARTITION BY {table.key} ORDER BY last_updated DESC, _batch_id DESC, _seq DESC) = 1
"""


def render_all(table: SourceTable) -> dict[str, str]:
    """Every rendered relation of a table, in the order it must be created."""
    return {
        f"versions_{table.name}": render_versions(table),
        f"checked_{table.name}": render_checked(table),
        f"valid_{table.name}": render_valid(table),
        f"current_{table.name}": render_current(table),
    }

