"""docs/warehouse.md names only tables and columns that the real source and warehouse have.

The doc is the data contract users read; the source schema and the warehouse migrations are
what the pipeline builds. Both are created for real here (the generator's source, the shipped
migrations on the embedded server) and compared with the doc's tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg

from pipeline.warehouse.migrate import migrate

DOC = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"
# Kept by the loader for itself, not part of the contract.
INTERNAL = {"load_ledger", "schema_migrations"}


def _split(cell: str) -> list[str]:
    """Comma-separated items, ignoring commas inside parentheses."""
    items, depth, current = [], 0, ""
    for char in cell:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    return [*items, current]


def documented(section: str, column_cell: int) -> dict[str, set[str]]:
    """Table -> column names, from the Markdown table of the doc's section."""
    text = DOC.read_text().split(f"\n## {section}", 1)[1].split("\n## ", 1)[0]
    tables = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > column_cell and re.fullmatch(r"[a-z_]+", cells[1]) and cells[1] != "table":
            tables[cells[1]] = {re.match(r"\w+", item.strip()).group(0)
                                for item in _split(cells[column_cell])}
    return tables


def actual(url: str, schema: str) -> dict[str, set[str]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = %s", (schema,)).fetchall()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return tables


def test_the_source_tables_are_the_generators(source_url):
    doc = documented("Source:", 2)
    real = actual(source_url, "public")
    assert len(doc) == 11 and set(doc) == set(real)
    for table, columns in doc.items():
        assert columns | {"created_at", "last_updated"} == real[table], table


def test_every_documented_warehouse_column_exists(make_database):
    url = make_database()
    with psycopg.connect(url) as conn:
        migrate(conn)
    real = {t: c for t, c in actual(url, "warehouse").items() if t not in INTERNAL}
    doc = documented("Warehouse:", 2) | documented("Aggregates", 3)
    assert set(doc) == set(real)
    missing = {t: sorted(c - real[t]) for t, c in doc.items() if c - real[t]}
    assert not missing, f"documented but not in the warehouse: {missing}"
