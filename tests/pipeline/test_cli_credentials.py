"""No error path prints a credential: every way a URL with a password reaches an error message,
run through the real command, with stderr (error line and JSON log lines) searched for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "hunter2-Zq9"


def _platform(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICLOUD_")}
    env.update({"TRICLOUD_WAREHOUSE_HOST": "127.0.0.1", "TRICLOUD_WAREHOUSE_PORT": "1",
                "TRICLOUD_WAREHOUSE_DB": "warehouse", "TRICLOUD_WAREHOUSE_USER": "etl",
                "TRICLOUD_WAREHOUSE_PASSWORD": SECRET,
                "TRICLOUD_RAW_URI": (tmp_path / "raw").as_uri(),
                "TRICLOUD_PROCESSED_URI": (tmp_path / "processed").as_uri(),
                "TRICLOUD_SOURCE_URL": f"postgresql://etl:{SECRET}@127.0.0.1:1/sales"})
    env.update(extra)
    return env


CASES = {
    "misspelt source scheme": (
        "ingest", {"TRICLOUD_SOURCE_URL": f"postgresq://etl:{SECRET}@localhost/sales"}),
    "unreachable source": ("ingest", {}),
    "source URL in key=value form": (
        "ingest", {"TRICLOUD_SOURCE_URL": f"host=127.0.0.1 port=1 password={SECRET}"}),
    "unreachable warehouse": ("run", {}),
    "seed into an unparseable source": (
        "seed", {"TRICLOUD_SOURCE_URL": f"postgresq://etl:{SECRET}@localhost/sales"}),
    "credentials inside a storage URI": (
        "ingest", {"TRICLOUD_RAW_URI": f"s4://key:{SECRET}@bucket/raw"}),
    "credentials inside an endpoint URL": (
        "ingest", {"TRICLOUD_S3_ENDPOINT": f"ftp://key:{SECRET}@127.0.0.1:1"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_error_path_prints_the_password(case: str, tmp_path: Path) -> None:
    command, extra = CASES[case]
    proc = subprocess.run([sys.executable, "-m", "pipeline", command],
                          cwd=ROOT, env=_platform(tmp_path, **extra), capture_output=True,
                          text=True, timeout=120, check=False)

    assert proc.returncode in (1, 2), proc.stderr[-2000:]
    assert proc.stderr.strip().splitlines()[-1].startswith("pipeline: error: ")
    assert SECRET not in proc.stderr + proc.stdout
