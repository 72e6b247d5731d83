"""Fixtures: one storage emulator per session each (started on first use), a fresh bucket per
test, and the platform-shaped environment that points ``pipeline`` at it.

``storage_target`` is parametrised indirectly with "file", "s3", "gs" or "abfs", so one test
body runs unchanged against every storage, as the pipeline itself does on every cloud.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.emulators import buckets, install, servers

ROOT = Path(__file__).resolve().parents[2]
STORES = ("file", "s3", "gs", "abfs")
_bucket_numbers = itertools.count()


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Emulator]:
    emulator = servers.moto(tmp_path_factory.mktemp("moto"))
    yield emulator
    emulator.stop()


@pytest.fixture(scope="session")
def gcs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Emulator]:
    emulator = servers.gcs(tmp_path_factory.mktemp("gcs"))
    yield emulator
    emulator.stop()


@pytest.fixture(scope="session")
def azurite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.Emulator]:
    """Azurite from npm, installed on first use (Node.js from Debian's packages if missing)."""
    try:
        binary = install.ensure_azurite()
    except install.InstallError as exc:
        pytest.fail(f"cannot install Azurite for the abfs:// tests: {exc}", pytrace=False)
    emulator = servers.azurite(tmp_path_factory.mktemp("azurite"), binary)
    yield emulator
    emulator.stop()


@pytest.fixture(scope="session")
def clean_warehouse(pg_server: Any, tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[dict[str, tuple[int, str]]]:
    """Checksums of the warehouse after one in-process run on local files: the reference."""
    from pipeline import ingest, transform
    from pipeline.session import Session
    from pipeline.settings import Settings
    from pipeline.source import generator
    from pipeline.warehouse import load
    from tests.pipeline import goldendata as g

    names = ("ref_source", "ref_warehouse")
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    source, warehouse = (pg_server.get_uri(n) for n in names)
    with psycopg.connect(source) as conn:
        generator.generate(conn, seed=7, orders=300)
    settings = Settings.local(tmp_path_factory.mktemp("reference"))
    ingest.run(Session.of(settings, source_url=source))
    transform.run(Session.of(settings))
    load.run(Session.of(settings, warehouse_url=warehouse))
    yield g.checksums(warehouse)
    with psycopg.connect(pg_server.get_uri(), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SERVER_FIXTURE = {"s3": "moto_server", "gs": "gcs_server", "abfs": "azurite_server"}


@dataclass
class StorageTarget:
    """A fresh, empty bucket (or folder) and the variables that route the pipeline to it."""

    scheme: str
    bucket: str
    root: str
    env: dict[str, str] = field(default_factory=dict)
    emulator: servers.Emulator | None = None

    def objects(self) -> list[str]:
        """Every object name under the root, relative to it."""
        if self.emulator is None:
            base = Path(self.bucket)
            return sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file())
        return buckets.object_names(self.emulator, self.bucket)


def target_on(emulator: servers.Emulator) -> StorageTarget:
    bucket = f"tricloud-{next(_bucket_numbers)}-{os.getpid()}"
    root = buckets.make_bucket(emulator, bucket)
    return StorageTarget(emulator.scheme, bucket, root, dict(emulator.env), emulator)


@pytest.fixture
def storage_target(request: pytest.FixtureRequest, tmp_path: Path) -> StorageTarget:
    scheme = request.param
    if scheme == "file":
        folder = tmp_path / "bucket"
        folder.mkdir()
        return StorageTarget("file", str(folder), folder.as_uri())
    return target_on(request.getfixturevalue(SERVER_FIXTURE[scheme]))


def platform_env(target: StorageTarget, source_url: str, warehouse_url: str,
                 **overrides: str) -> dict[str, str]:
    """What a platform's job gets (by the contract's names), with this machine's values."""
    wh = psycopg.conninfo.conninfo_to_dict(warehouse_url)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TRICLOUD_", "AWS_", "AZURE_", "GOOGLE_"))}
    env.update({
        "TRICLOUD_SOURCE": "postgres", "TRICLOUD_SOURCE_URL": source_url,
        "TRICLOUD_RAW_URI": f"{target.root}/raw",
        "TRICLOUD_PROCESSED_URI": f"{target.root}/processed",
        "TRICLOUD_WAREHOUSE_HOST": str(wh["host"]),
        "TRICLOUD_WAREHOUSE_PORT": str(wh.get("port") or 5432),
        "TRICLOUD_WAREHOUSE_DB": str(wh["dbname"]),
        "TRICLOUD_WAREHOUSE_USER": str(wh.get("user") or "postgres"),
        "TRICLOUD_WAREHOUSE_PASSWORD": str(wh.get("password") or ""),
        "TRICLOUD_WAREHOUSE_SSLMODE": "prefer", "TRICLOUD_ENVIRONMENT": "dev",
        **target.env, **overrides,
    })
    return env


def run_pipeline(*args: str, env: dict[str, str],
                 timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


def events(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    import json

    return [json.loads(line) for line in proc.stderr.splitlines() if line.startswith("{")]
