"""Bulk rows between Arrow and PostgreSQL: binary COPY through ADBC, and CSV COPY for seeding.

The pipeline's own traffic (reading the source, staging the warehouse load) goes through the
ADBC PostgreSQL driver, which speaks PostgreSQL's binary COPY format straight from and into
Arrow buffers: no text rendering or parsing, and types arrive typed. Seeding the synthetic
source (a demo and benchmark tool) still streams CSV through psycopg, whose connection the
generator already holds; the CSV dialect that keeps NULL and empty strings apart is decided
here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import adbc_driver_manager
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from psycopg import sql

# ADBC's errors, so callers catch them without importing the driver manager themselves.
AdbcError = adbc_driver_manager.Error
AdbcOperationalError = adbc_driver_manager.OperationalError


def connect(url: str, *, connect_timeout: int = 10) -> Any:
    """An ADBC connection (a DB-API connection, transactions on) for a libpq URL."""
    import adbc_driver_postgresql.dbapi as adbc

    if "connect_timeout=" not in url:
        url += ("&" if "?" in url else "?") + f"connect_timeout={connect_timeout}"
    return adbc.connect(url)


def stage(cur: Any, table: str, data: pa.Table | pa.RecordBatchReader) -> int:
    """Create temporary table ``table`` from ``data``'s schema and fill it by binary COPY;
    a reader is streamed, so the rows never need to be in memory at once."""
    cur.execute(f'DROP TABLE IF EXISTS "{table}"')
    return int(cur.adbc_ingest(table, data, mode="create", temporary=True))


def fetch(cur: Any, query: str, params: tuple[Any, ...] = ()) -> Iterator[pa.RecordBatch]:
    """The rows of ``query`` (``$1``-style parameters) as Arrow batches, by binary COPY."""
    cur.execute(query, params or None)
    yield from cur.fetch_record_batch()


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """``batch`` with ``schema``'s types. The driver hands ``numeric`` over as its exact decimal
    text (an opaque extension type), so it is cast from that text, never through a float."""
    columns = []
    for column, target in zip(batch.columns, schema, strict=True):
        if isinstance(column.type, pa.ExtensionType) or isinstance(
                column, pa.ExtensionArray):
            column = column.storage
        columns.append(column if column.type == target.type else pc.cast(column, target.type))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def copy_csv(cur: psycopg.Cursor[Any], table: str, data: pa.Table, chunk_rows: int) -> None:
    """Stream ``data`` into ``table`` (its columns by name) as CSV, ``chunk_rows`` at a time.

    Arrow's CSV writer quotes every string and leaves nulls empty and unquoted, which is exactly
    how PostgreSQL's CSV format tells an empty string from NULL. Each chunk's buffer goes to the
    COPY stream as it is, without a Python row loop or a copy into ``bytes``.
    """
    stmt = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, data.column_names)))
    options = pacsv.WriteOptions(include_header=False)
    with cur.copy(stmt) as copy:
        for batch in data.to_batches(max_chunksize=chunk_rows):
            sink = pa.BufferOutputStream()
            pacsv.write_csv(batch, sink, write_options=options)
            copy.write(sink.getvalue())
