"""Fixtures standing in for the image: a clean venv built like the Dockerfile builds /opt/venv.

Built once per session in a folder of its own outside the repository, so nothing of the work
tree can leak in; pip caches the locked wheels, so later sessions are quicker.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.container.dockerignore import copy_context
from tests.container.tcp_bridge import TcpBridge

ROOT = Path(__file__).resolve().parents[2]
PIP_TIMEOUT = 900


def _pip(venv: Path, *args: str, cwd: Path, what: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    try:
        proc = subprocess.run([str(venv / "bin" / "pip"), *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=PIP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} took over {PIP_TIMEOUT} s; is PyPI reachable from this machine?")
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.fail(f"{what} failed (exit {proc.returncode}): {last}; the clean venv needs PyPI "
                    "or a pip cache holding the locked wheels")


@pytest.fixture(scope="session")
def image_context() -> Iterator[Path]:
    """What `docker build .` would send, copied into a fresh folder; removed after the session."""
    folder = Path(tempfile.mkdtemp(prefix="tricloud-context-"))
    copy_context(ROOT, folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def image_venv(image_context: Path) -> Iterator[Path]:
    """The Dockerfile's build stage, step for step: venv, the lock with hashes, the project."""
    home = Path(tempfile.mkdtemp(prefix="tricloud-image-"))
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    _pip(venv, "install", "--require-hashes", "--no-deps", "-r", "pipeline/requirements.lock",
         cwd=image_context, what="installing pipeline/requirements.lock into a clean venv")
    _pip(venv, "install", "--no-deps", ".", cwd=image_context,
         what="building and installing the project wheel from the image's build context")
    _pip(venv, "check", cwd=image_context, what="`pip check` in the clean venv")
    yield venv
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_tcp_port(pg_server: Any) -> Iterator[int]:
    """A 127.0.0.1 port reaching the embedded server, as a platform's database host would."""
    params = psycopg.conninfo.conninfo_to_dict(pg_server.get_uri())
    socket_path = f"{params['host']}/.s.PGSQL.{params.get('port') or 5432}"
    with TcpBridge(socket_path) as bridge:
        yield bridge.port
