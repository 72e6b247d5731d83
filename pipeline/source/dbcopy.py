"""Schema creation and bulk loading of Arrow tables into the source database with COPY.

COPY of CSV text produced by Arrow's C++ writer is the fastest path psycopg offers that keeps
Python out of the per-row work; a 10M-order seed is dominated by PostgreSQL, not by us.
"""

from __future__ import annotations

from importlib import resources

import psycopg
import pyarrow as pa
from psycopg import sql

from pipeline.pgcopy import copy_csv
from pipeline.source.tables import BY_NAME, TABLE_NAMES

_COPY_ROWS = 100_000  # rows per CSV block handed to the COPY stream; bounds memory


def schema_sql() -> str:
    return resources.files("pipeline.source").joinpath("schema.sql").read_text()


def recreate_schema(conn: psycopg.Connection) -> None:
    """Drop the 11 source tables if present and create them empty (demo and tests start clean)."""
    with conn.cursor() as cur:
        for name in TABLE_NAMES:
            cur.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(name)))
        cur.execute(schema_sql())


def index_last_updated(conn: psycopg.Connection) -> None:
    """Index last_updated after the bulk load: building once is far cheaper than maintaining."""
    with conn.cursor() as cur:
        for name in TABLE_NAMES:
            cur.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (last_updated)").format(
                sql.Identifier(f"{name}_last_updated_idx"), sql.Identifier(name)))
            cur.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(name)))


def copy_in(conn: psycopg.Connection, table: str, data: pa.Table) -> int:
    """Append ``data`` (columns in contract order) to a source table; returns rows copied."""
    columns = BY_NAME[table].column_names if table in BY_NAME else data.column_names
    data = data.select(columns)
    with conn.cursor() as cur:
        copy_csv(cur, table, data, _COPY_ROWS)
    return data.num_rows
