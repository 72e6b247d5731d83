"""The pipeline's COPY-based load against ``pandas.DataFrame.to_sql`` on the same rows.

Both write the same fact rows into an empty ``warehouse.fact_sales_order`` of a freshly migrated
warehouse. The pipeline side is its real per-table load of a processed file: the table is empty,
so that is the first backfill's path (the file streamed by binary COPY straight into the table,
record ids assigned in file order, the ledger row). The pandas side uses ``to_sql`` with its
defaults (``method=None``, no chunksize) over SQLAlchemy and the psycopg 3 dialect, money as
float64. The pipeline's figure includes reading its Parquet file, the pandas figure starts from
the Arrow table in memory; neither includes the migration.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq

TABLE = "fact_sales_order"


def _fresh_warehouse(url: str) -> None:
    from pipeline.warehouse.migrate import migrate

    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        conn.execute(f"TRUNCATE warehouse.{TABLE}")
        conn.execute("DELETE FROM warehouse.load_ledger WHERE batch_id = 'benchmark'")


def _count(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT count(*) FROM warehouse.{TABLE}").fetchone()
    return int(row[0]) if row else 0


def load_with_copy(url: str, data: pa.Table, scratch: Path) -> dict[str, Any]:
    """``data`` is written to ``scratch`` as the processed file the load reads (not timed)."""
    from pipeline import pgcopy
    from pipeline.warehouse.load import _load_table

    _fresh_warehouse(url)
    scratch.mkdir(parents=True, exist_ok=True)
    file = scratch / f"{TABLE}.parquet"
    pq.write_table(data, file)
    try:
        started = time.perf_counter()
        with pgcopy.connect(url) as conn:  # the load's own ADBC connection
            _load_table(conn, "benchmark", TABLE, file.resolve().as_uri())
        seconds = time.perf_counter() - started
    finally:
        file.unlink()
    return {"rows": _count(url), "work_seconds": seconds,
            "method": "binary COPY into the empty table (pipeline)"}


def load_with_to_sql(url: str, data: pa.Table) -> dict[str, Any]:
    import sqlalchemy

    _fresh_warehouse(url)
    started = time.perf_counter()
    frame = data.to_pandas()
    # Exact decimals arrive as Python objects, which to_sql would send as text; float64 is
    # what a pandas frame holds money as (and what the reference uses).
    for field in data.schema:
        if pa.types.is_decimal(field.type):
            frame[field.name] = frame[field.name].astype("float64")
    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        frame.to_sql(TABLE, conn, schema="warehouse", if_exists="append", index=False)
    engine.dispose()
    seconds = time.perf_counter() - started
    return {"rows": _count(url), "work_seconds": seconds,
            "method": "pandas.DataFrame.to_sql (defaults)"}
