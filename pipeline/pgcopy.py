"""Bulk rows into PostgreSQL with ``COPY ... FROM STDIN``: how the pipeline writes many rows.

Both the synthetic source (seeding, edits) and the warehouse load (staging tables) go through
here, so the CSV dialect that keeps NULL and empty strings apart is decided once.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from psycopg import sql


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
