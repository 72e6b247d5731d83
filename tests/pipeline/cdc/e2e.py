"""The whole pipeline on a real source: ingest (cdc or watermark), transform, load.

Each pipeline keeps its raw and processed zones under its own folder and loads its own
warehouse database; a cdc pipeline reads its own slot and publication, so two of them can
follow one source side by side (a clean one and one that is killed). ``view`` is what two
warehouses are compared on: every table's rows, without what legitimately differs between two
equal runs (serial record ids, and a fact's change position).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from pipeline import ingest, transform
from pipeline.session import Session
from pipeline.settings import Settings, SourceKind
from pipeline.source.cdc import operations
from pipeline.warehouse import load
from tests.pipeline import goldendata as g
from tests.pipeline.cdc import rawzone as rz

# What differs between two runs that hold the same warehouse: which serial number a fact row
# got, and (cdc) the LSN of the slot's consistent point that a snapshot version carries.
POSITION = ("change_lsn", "change_ordinal")
IGNORED = ("sales_record_id", "purchase_record_id", "payment_record_id", *POSITION)


def names(slot: str = "tricloud") -> operations.Names:
    return operations.Names(slot=slot, publication=slot)


def cdc_settings(folder: Path, slot: str = "tricloud", **cdc: Any) -> Settings:
    return rz.settings_for(folder, slot=slot, publication=slot, **cdc)


def watermark_settings(folder: Path) -> Settings:
    return Settings.local(folder, source=SourceKind.POSTGRES)


def run(settings: Settings, source_url: str, warehouse_url: str) -> None:
    """One scheduled run: ingest, transform, load."""
    ingest.run(Session.of(settings, source_url=source_url))
    transform_and_load(settings, warehouse_url)


def transform_and_load(settings: Settings, warehouse_url: str) -> None:
    transform.run(Session.of(settings))
    load.run(Session.of(settings, warehouse_url=warehouse_url))


def sql(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _columns(conn: psycopg.Connection, table: str, ignored: tuple[str, ...]) -> list[str]:
    rows = conn.execute("SELECT column_name FROM information_schema.columns WHERE "
                        "table_schema = 'warehouse' AND table_name = %s ORDER BY ordinal_position",
                        (table,)).fetchall()
    return [r[0] for r in rows if r[0] not in ignored]


def view(url: str, ignored: tuple[str, ...] = IGNORED) -> dict[str, list[tuple[Any, ...]]]:
    """Every warehouse table's rows, sorted, without the ``ignored`` columns."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with psycopg.connect(url) as conn:
        for table in g.WAREHOUSE_TABLES:
            cols = ", ".join(_columns(conn, table, ignored))
            rows = conn.execute(f"SELECT {cols} FROM warehouse.{table}").fetchall()
            out[table] = sorted(rows, key=repr)
    return out


def deleted_rows(url: str) -> dict[str, int]:
    """Rows with ``is_deleted`` per dimension and fact table that has any."""
    out: dict[str, int] = {}
    with psycopg.connect(url) as conn:
        for table in g.WAREHOUSE_TABLES:
            if table.startswith(("dim_", "fact_")):
                [(n,)] = conn.execute(
                    f"SELECT count(*) FROM warehouse.{table} WHERE is_deleted").fetchall()
                if n:
                    out[table] = n
    return out
