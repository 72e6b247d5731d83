"""Fixtures for pipeline tests: file:// storage roots and the storage emulators.

The PostgreSQL fixtures live in ``tests/conftest.py``, so the container and benchmark tests
share the same one server per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.settings import Settings


@pytest.fixture
def storage_root(tmp_path: Path) -> str:
    """A file:// URI of an empty folder, standing in for a bucket."""
    return tmp_path.as_uri()


@pytest.fixture
def golden_warehouse(storage_root: str, make_database: Callable[[], str]) -> tuple[Settings, str]:
    """(settings, warehouse URL) after the golden batch and its history batch are transformed
    and loaded: a small warehouse whose every figure the tests know."""
    from pipeline import transform
    from pipeline.session import Session
    from pipeline.warehouse import load
    from tests.pipeline import goldendata as g

    settings, url = g.settings_for(storage_root), make_database()
    data = g.golden()
    g.write_batch(settings.raw_uri, "20240301T000000Z", data)
    g.write_batch(settings.raw_uri, "20240302T000000Z", g.history_batch(data))
    transform.run(Session.of(settings))
    load.run(Session.of(settings, warehouse_url=url))
    return settings, url


# Storage emulators (moto, gcp-storage-emulator, Azurite) and the storage_target fixture.
from tests.pipeline.emulators import (  # noqa: E402
    azurite_server,
    clean_warehouse,
    gcs_server,
    moto_server,
    storage_target,
)

__all__ = ["azurite_server", "clean_warehouse", "gcs_server", "moto_server", "storage_target"]
