"""The `pipeline` command: exit codes, one-line errors, and the end-to-end demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/nowhere"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICLOUD_")}
    return {**env, **extra}


def _cloud_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A platform-shaped environment whose stores are local folders."""
    base = {"TRICLOUD_WAREHOUSE_HOST": "127.0.0.1", "TRICLOUD_WAREHOUSE_PORT": "1",
            "TRICLOUD_WAREHOUSE_DB": "warehouse", "TRICLOUD_WAREHOUSE_USER": "etl",
            "TRICLOUD_RAW_URI": (tmp_path / "raw").as_uri(),
            "TRICLOUD_PROCESSED_URI": (tmp_path / "processed").as_uri(),
            "TRICLOUD_SOURCE_URL": UNREACHABLE}
    return _env(**{**base, **extra})


def _pipeline(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _error_line(proc: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines and lines[-1].startswith("pipeline: error: ")
    return lines[-1]


def test_help_is_quick_and_lists_commands():
    proc = _pipeline("--help", env=_env())
    assert proc.returncode == 0
    for command in ("run", "ingest", "transform", "load", "report", "demo"):
        assert command in proc.stdout


def test_bad_setting_exits_2_with_one_line(tmp_path):
    proc = _pipeline("ingest", env=_env(TRICLOUD_SOURCE="ftp"))
    assert proc.returncode == 2
    assert "TRICLOUD_SOURCE='ftp'" in _error_line(proc)


def test_incomplete_platform_settings_exit_2(tmp_path):
    proc = _pipeline("run", env=_env(TRICLOUD_WAREHOUSE_HOST="db.internal"))
    assert proc.returncode == 2
    assert "TRICLOUD_RAW_URI" in _error_line(proc)


def test_unknown_command_is_usage_error():
    assert _pipeline("frobnicate", env=_env()).returncode == 2


def test_unreachable_source_exits_1_naming_it(tmp_path):
    proc = _pipeline("ingest", env=_cloud_env(tmp_path))
    assert proc.returncode == 1
    line = _error_line(proc)
    assert "cannot connect to source database nowhere on 127.0.0.1:1" in line
    failure = json.loads(proc.stderr.strip().splitlines()[-2])
    assert failure["status"] == "failed" and failure["stage"] == "ingest"
    assert not (tmp_path / "raw").exists()


def test_unreachable_warehouse_fails_before_anything_is_written(tmp_path, source_url):
    proc = _pipeline("run", env=_cloud_env(tmp_path, TRICLOUD_SOURCE_URL=source_url))
    assert proc.returncode == 1
    assert "cannot connect to warehouse database warehouse on 127.0.0.1:1" in _error_line(proc)
    assert not (tmp_path / "raw").exists()


def test_missing_source_table_exits_1_naming_table_and_database(tmp_path, make_database):
    import psycopg

    from pipeline.source import dbcopy

    url = make_database()
    with psycopg.connect(url) as conn:
        dbcopy.recreate_schema(conn)
        conn.execute("DROP TABLE staff")
    proc = _pipeline("ingest", env=_cloud_env(tmp_path, TRICLOUD_SOURCE_URL=url))
    assert proc.returncode == 1
    line = _error_line(proc)
    dbname = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    assert f"source table staff not found in database {dbname}" in line


def test_malformed_export_exits_1_naming_the_file(tmp_path):
    landing = tmp_path / "landing" / "payment"
    landing.mkdir(parents=True)
    (landing / "bad.jsonl").write_text("{not json\n")
    env = _cloud_env(tmp_path, TRICLOUD_SOURCE="exports",
                     TRICLOUD_LANDING_URI=(tmp_path / "landing").as_uri())
    proc = _pipeline("ingest", env=env)
    assert proc.returncode == 1
    assert "malformed export" in _error_line(proc) and "payment/bad.jsonl" in proc.stderr
    assert not (tmp_path / "raw" / "_batches").exists()


@pytest.mark.slow
def test_demo_runs_end_to_end(tmp_path):
    """The whole product on a laptop: needs the transform/load/report half to be present."""
    proc = _pipeline("demo", "--orders", "300", "--dir", str(tmp_path / "demo"),
                     env=_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "first run" in proc.stdout and "second run" in proc.stdout
    events = [json.loads(line) for line in proc.stderr.splitlines() if line.startswith("{")]
    summaries = [e for e in events if e["event"] == "summary"]
    assert len(summaries) == 2 and all(s["balanced"] for s in summaries)
    assert summaries[1]["quarantined"] >= 5  # the rule-breaking rows
    ingests = [e for e in events if e["event"] == "stage" and e["stage"] == "ingest"]
    assert ingests[1]["rows_out"] < ingests[0]["rows_out"]  # incremental second run
    assert {e["environment"] for e in events} == {"demo"}
    assert any((tmp_path / "demo" / "reports").iterdir())
