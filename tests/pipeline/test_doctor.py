"""``pipeline doctor``: one line per check with the fix, exit 1 when one fails, against the real
embedded PostgreSQL and temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from pipeline.doctor import Status, warehouse_check
from pipeline.warehouse.migrate import migrate, shipped
from tests.pipeline.emulators import StorageTarget, platform_env

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = "postgresql://etl@127.0.0.1:1/nowhere"
SECRET = "hunter2-do-not-print"


def _doctor(env: dict[str, str]) -> tuple[int, list[str]]:
    proc = subprocess.run([sys.executable, "-m", "pipeline", "doctor"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout.splitlines()


def _line(lines: list[str], name: str) -> str:
    (found,) = [line for line in lines if line[6:].startswith(f"{name} ")]
    return found


def test_everything_a_run_needs_is_there(tmp_path: Path, source_url: str,
                                         make_database: Callable[[], str]) -> None:
    warehouse = make_database()
    with psycopg.connect(warehouse, autocommit=True) as conn:
        migrate(conn)
    env = platform_env(StorageTarget("file", str(tmp_path), tmp_path.as_uri()), source_url,
                       warehouse)

    code, lines = _doctor(env)

    assert code == 0, lines
    assert [line[:24].split()[0] for line in lines[:-1]] == ["ok"] * 5
    assert _line(lines, "source").endswith("holds the 11 source tables")
    latest = shipped()[-1]
    assert _line(lines, "warehouse").endswith(
        f", schema at version {latest.version} ({latest.name})")
    assert _line(lines, "raw storage") == (
        f"ok    raw storage        {tmp_path.as_uri()}/raw is writable (a probe object written "
        "and deleted)")
    assert lines[-1] == "ready to run"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # the probes are gone


def test_a_fresh_local_folder_says_to_seed_and_that_the_load_migrates(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICLOUD_")}
    env["TRICLOUD_LOCAL_DIR"] = str(tmp_path / "local")

    code, lines = _doctor(env)

    assert code == 1
    assert _line(lines, "settings").startswith("ok    settings           valid: embedded local")
    assert _line(lines, "source").startswith("FAIL  source             database source on ")
    assert _line(lines, "source").endswith(
        "(embedded) holds none of the 11 source tables; fix: fill the embedded source with "
        "synthetic data (`pipeline seed`), or set TRICLOUD_SOURCE_URL to your own database")
    assert _line(lines, "warehouse").startswith("warn  warehouse")
    assert "is at schema version 0 of" in _line(lines, "warehouse")
    assert _line(lines, "processed storage").startswith("ok")
    assert lines[-1] == "1 to fix before `pipeline run`"


def test_unreachable_databases_and_unwritable_storage_each_get_their_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the raw zone's folder would go")
    env = platform_env(StorageTarget("file", str(tmp_path), tmp_path.as_uri()), UNREACHABLE,
                       "postgresql://etl@127.0.0.1:1/warehouse",
                       TRICLOUD_RAW_URI=f"{blocker.as_uri()}/raw",
                       TRICLOUD_WAREHOUSE_PASSWORD=SECRET)

    code, lines = _doctor(env)

    assert code == 1
    assert _line(lines, "source").startswith(
        "FAIL  source             cannot connect to source database nowhere on 127.0.0.1:1")
    assert _line(lines, "source").endswith("; fix: check TRICLOUD_SOURCE_URL: host, port, "
                                           "database, user, the password in the secret, and "
                                           "the network path from the job to the database")
    assert _line(lines, "warehouse").startswith(
        "FAIL  warehouse          cannot connect to database warehouse on 127.0.0.1:1")
    assert _line(lines, "raw storage").startswith(f"FAIL  raw storage        cannot write "
                                                  f"{blocker.as_uri()}/raw/_doctor-probe-")
    assert _line(lines, "raw storage").endswith(
        "; fix: check TRICLOUD_RAW_URI and that the job's identity may write and delete there")
    assert _line(lines, "processed storage").startswith("ok")
    assert lines[-1] == "3 to fix before `pipeline run`"
    assert SECRET not in "\n".join(lines)


def test_bad_settings_are_listed_and_the_rest_is_skipped() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICLOUD_")}
    env.update(TRICLOUD_ENVIRONMENT="production", TRICLOUD_RAW_URI="s4://data/raw",
               TRICLOUD_AZURE_ACCOUNT_KEY=SECRET)

    code, lines = _doctor(env)

    assert code == 1
    assert lines[0] == ("FAIL  settings           4 problems; fix: set or correct the "
                        "variables below")
    assert lines[1].strip().startswith("- TRICLOUD_RAW_URI='s4://data/raw' has an unknown scheme")
    assert any("TRICLOUD_AZURE_ACCOUNT_KEY is not base64" in line
               for line in lines[1:5])
    assert [line.split()[0] for line in lines[5:-1]] == ["skip"] * 4
    assert SECRET not in "\n".join(lines)


@pytest.mark.parametrize("applied", [0, 1])
def test_a_warehouse_behind_is_a_warning_the_next_load_fixes(
        applied: int, make_database: Callable[[], str]) -> None:
    url = make_database()
    if applied:
        first = shipped()[0]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE SCHEMA warehouse; CREATE TABLE warehouse.schema_migrations ("
                         "version int PRIMARY KEY, name varchar, checksum varchar, "
                         "applied_at timestamptz DEFAULT now())")
            conn.execute(first.sql)
            conn.execute("INSERT INTO warehouse.schema_migrations (version, name, checksum) "
                         "VALUES (%s, %s, %s)", (first.version, first.name, first.checksum))

    check = warehouse_check(url)

    assert check.status is Status.WARN
    assert f"is at schema version {applied} of {shipped()[-1].version}" in check.detail
    assert check.detail.endswith("by itself")
