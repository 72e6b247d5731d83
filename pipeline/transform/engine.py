"""A small SQL runner: named Arrow inputs in, SQL files over those names, Arrow out.

Keeping every step a named relation is what lets the same SQL move to a distributed engine
later: only this runner (registration and materialisation) is DuckDB-specific.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa


def sql_file(name: str) -> str:
    """The text of ``pipeline/transform/sql/<name>.sql``, read from the installed package."""
    return resources.files("pipeline.transform").joinpath("sql", f"{name}.sql").read_text()


# Optimizers off for every query (see ``SqlRunner``).
_DISABLED = "build_side_probe_side"

# Rows per Parquet row group of every file the transform writes (DuckDB's default).
ROW_GROUP_ROWS = 122_880

# Where a container's memory cap is, cgroup v2 then v1: a job's task sees the host's RAM in
# sysconf, and a limit taken from that would let DuckDB outgrow the task.
_CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def _available_memory() -> int | None:
    """Bytes this process may use: the machine's memory, or the cgroup's cap when lower."""
    sizes = []
    with contextlib.suppress(ValueError, OSError, AttributeError):
        sizes.append(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    for path in _CGROUP_LIMITS:
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            sizes.append(int(text))
    return min(sizes) if sizes else None


def default_memory_limit_mb(job_memory_mb: int | None = None) -> int:
    """Half the job's memory (``TRICLOUD_MEMORY_MB``, else the cgroup's cap or the machine's).

    The raw batch, the outputs and the state are all inside DuckDB's budget (``raw.stage_table``
    moves the batch in a chunk at a time); the other half is for what is not: the interpreter
    and its libraries, the chunk in flight, the Arrow scans of the state, and DuckDB's own
    overshoot of its limit. DuckDB's default (80%) with raw Arrow tables beside it is what woke
    the OOM killer at 10M orders."""
    total = job_memory_mb * 2**20 if job_memory_mb else _available_memory()
    return max(128, total // 2 // 2**20) if total else 4096


class SqlRunner:
    """One in-process DuckDB connection holding the relations of a transform run.

    Past ``memory_limit_mb`` DuckDB spills to a private folder under ``spill_root`` (the
    system temporary folder by default) instead of growing; the folder goes with ``close``.
    Insertion order is not preserved: every output query has its own ORDER BY, and keeping
    the order of big CREATE TABLE AS costs memory for nothing. Hash joins build on the right
    side as written (``build_side_probe_side`` off): every join here puts the wide, big
    relation on the left, and letting DuckDB flip the equal-sized reference joins made it hash
    every column of the big side.
    """

    def __init__(self, threads: int | None = None, memory_limit_mb: int | None = None,
                 spill_root: Path | None = None) -> None:
        self.con = duckdb.connect(":memory:")
        if spill_root is not None:
            spill_root.mkdir(parents=True, exist_ok=True)
        self._spill = tempfile.mkdtemp(prefix="tricloud-duckdb-", dir=spill_root)
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        limit = int(memory_limit_mb or default_memory_limit_mb())
        self.con.execute(f"SET memory_limit = '{limit}MB'")
        self.con.execute("SET temp_directory = ?", [self._spill])
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute(f"SET disabled_optimizers = '{_DISABLED}'")

    def register(self, name: str, table: pa.Table) -> None:
        """Expose an Arrow table under ``name`` without copying it."""
        self.con.register(name, table)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    def create(self, name: str, schema: pa.Schema) -> None:
        """An empty temp table with ``schema``'s columns, to be filled by ``append``."""
        self.con.register("_empty", schema.empty_table())
        self.materialise(name, "SELECT * FROM _empty")
        self.con.unregister("_empty")

    def append(self, name: str, table: pa.Table) -> None:
        """Copy ``table`` into temp table ``name``: from here on it counts against the
        engine's memory limit and spills with it, and the Arrow copy can go."""
        self.con.register("_chunk", table)
        self.con.execute(f"INSERT INTO {name} SELECT * FROM _chunk")
        self.con.unregister("_chunk")

    def view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")

    def materialise(self, name: str, sql: str) -> None:
        """Compute ``sql`` once into a temp table: later steps read it several times."""
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def reader(self, sql: str, rows_per_batch: int = 100_000) -> pa.RecordBatchReader:
        """Stream the result: writing a state file never holds it whole in memory."""
        return self.con.sql(sql).to_arrow_reader(rows_per_batch)

    @property
    def scratch(self) -> Path:
        """The private spill folder: also where a file bound for an object store is encoded."""
        return Path(self._spill)

    def copy(self, sql: str, path: str) -> int:
        """Write the result of ``sql`` to a local Parquet file; returns its rows.

        DuckDB encodes it itself, streaming and on every thread, so a result is never held
        whole, nor converted to Arrow and encoded again in Python. An ORDER BY in ``sql`` is
        kept in the file. Row groups of 122,880 rows (DuckDB's own) keep min/max statistics
        fine enough to skip the parts of the state a batch does not touch.
        """
        quoted = path.replace("'", "''")
        # Without statistics propagation every column is written nullable (OPTIONAL): with it,
        # DuckDB writes REQUIRED wherever this result happens to have no NULL, and the same
        # output would change schema from one batch to the next.
        self.con.execute(f"SET disabled_optimizers = '{_DISABLED},statistics_propagation'")
        try:
            rows = self.con.execute(
                f"COPY ({sql}) TO '{quoted}' (FORMAT parquet, COMPRESSION zstd, "
                f"COMPRESSION_LEVEL 1, ROW_GROUP_SIZE {ROW_GROUP_ROWS})").fetchall()
        finally:
            self.con.execute(f"SET disabled_optimizers = '{_DISABLED}'")
        return int(rows[0][0]) if rows else 0

    def fetch(self, sql: str) -> pa.Table:
        return self.con.sql(sql).to_arrow_table()

    def first(self, sql: str) -> tuple[Any, ...]:
        """The first row of ``sql`` as Python values (empty when there is none)."""
        rows = self.con.execute(sql).fetchall()
        return tuple(rows[0]) if rows else ()

    def scalar(self, sql: str) -> int:
        rows = self.con.execute(sql).fetchall()  # fetchall: a result left open blocks the next
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def row(self, sql: str) -> tuple[int, ...]:
        """The first row of ``sql`` as integers (NULL as 0): several counts in one scan."""
        rows = self.con.execute(sql).fetchall()
        row = rows[0] if rows else ()
        return tuple(int(v) if v is not None else 0 for v in row)

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._spill, ignore_errors=True)
