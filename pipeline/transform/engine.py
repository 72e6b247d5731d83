"""A small SQL runner: named Arrow inputs in, SQL files over those names, Arrow out.

Keeping every step a named relation is what lets the same SQL move to a distributed engine
later: only this runner (registration and materialisation) is DuckDB-specific.
"""

from __future__ import annotations

from importlib import resources

import duckdb
import pyarrow as pa


def sql_file(name: str) -> str:
    """The text of ``pipeline/transform/sql/<name>.sql``, read from the installed package."""
    return resources.files("pipeline.transform").joinpath("sql", f"{name}.sql").read_text()


class SqlRunner:
    """One in-process DuckDB connection holding the relations of a transform run."""

    def __init__(self, threads: int | None = None) -> None:
        self.con = duckdb.connect(":memory:")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")

    def register(self, name: str, table: pa.Table) -> None:
        """Expose an Arrow table under ``name`` without copying it."""
        self.con.register(name, table)

    def view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def materialise(self, name: str, sql: str) -> None:
        """Compute ``sql`` once into a temp table: later steps read it several times."""
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def fetch(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def scalar(self, sql: str) -> int:
        row = self.con.execute(sql).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def close(self) -> None:
        self.con.close()
