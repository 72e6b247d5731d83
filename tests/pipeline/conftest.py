"""Fixtures for pipeline tests: file:// storage roots and the storage emulators.

The PostgreSQL fixtures live in ``tests/conftest.py``, so the container and benchmark tests
share the same one server per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def storage_root(tmp_path: Path) -> str:
    """A file:// URI of an empty folder, standing in for a bucket."""
    return tmp_path.as_uri()


# Storage emulators (moto, gcp-storage-emulator, Azurite) and the storage_target fixture.
from tests.pipeline.emulators import (  # noqa: E402
    azurite_server,
    clean_warehouse,
    gcs_server,
    moto_server,
    storage_target,
)

__all__ = ["azurite_server", "clean_warehouse", "gcs_server", "moto_server", "storage_target"]
