"""Incremental reads from the OLTP PostgreSQL database, streamed into Arrow by binary COPY.

The ADBC PostgreSQL driver reads a query's result with ``COPY ... TO STDOUT (FORMAT binary)``
straight into Arrow batches: no Python object per row and no text to parse, so the only work on
our side is giving ``numeric`` its decimal type. All tables are read in one REPEATABLE READ,
read-only transaction so a batch is a consistent snapshot (no payment without its transaction).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import psycopg
import pyarrow as pa
from psycopg import sql

from pipeline import pgcopy
from pipeline.errors import PipelineError
from pipeline.source.base import Source
from pipeline.source.tables import SourceTable


def describe(url: str) -> str:
    """``database <db> on <host>:<port>`` from a libpq URL, without the password."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "database <unparseable URL>"
    host = str(info.get("host") or "localhost")
    return f"database {info.get('dbname', '?')} on {host}:{info.get('port', 5432)}"


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class PostgresSource(Source):
    """The OLTP database over ADBC; rows changed since the watermark minus the overlap."""

    kind = "postgres"

    def __init__(self, url: str, *, connect_timeout: int = 10) -> None:
        self.url = url
        self.where = describe(url)
        try:
            self._conn = pgcopy.connect(url, connect_timeout=connect_timeout)
            self._cur = self._conn.cursor()
            self._cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        except pgcopy.AdbcError as exc:
            raise PipelineError(
                f"cannot connect to source {self.where}: {_cause(exc)}") from None

    def close(self) -> None:
        self._cur.close()
        self._conn.rollback()  # read-only: nothing to commit
        self._conn.close()

    def check(self, tables: Sequence[SourceTable]) -> None:
        self._cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        present = {r[0] for r in self._cur.fetchall()}
        missing = [t.name for t in tables if t.name not in present]
        if missing:
            noun = "table" if len(missing) == 1 else "tables"
            raise PipelineError(f"source {noun} {', '.join(missing)} not found in {self.where}")

    def read(self, table: SourceTable, since: datetime | None) -> Iterator[pa.RecordBatch]:
        query = sql.SQL("SELECT {} FROM {}").format(
            sql.SQL(", ").join(map(sql.Identifier, table.column_names)),
            sql.Identifier(table.name)).as_string(None)
        params: tuple[Any, ...] = ()
        if since is not None:
            query += " WHERE last_updated >= $1"
            params = (since,)
        try:
            for batch in pgcopy.fetch(self._cur, query, params):
                if batch.num_rows:
                    yield pgcopy.conform(batch, table.schema)
        except pgcopy.AdbcError as exc:
            raise PipelineError(
                f"reading source table {table.name} from {self.where} failed: {_cause(exc)}"
            ) from None


def _cause(exc: BaseException) -> str:
    """The server's or libpq's message without the driver's status prefix ("IO: [libpq] ")."""
    text = first_line(exc)
    for prefix in ("IO: ", "INVALID_ARGUMENT: ", "INTERNAL: ", "NOT_FOUND: "):
        text = text.removeprefix(prefix)
    return text.removeprefix("[libpq] ")
