"""``pipeline cdc setup | status | drop`` against real servers, through the CLI entry point."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.source.cdc import identity, operations
from pipeline.source.cdc.identity import ReplicaIdentityError
from pipeline.source.cdc.slot import SlotReader
from pipeline.source.tables import TABLES

NAMES = operations.Names()


def _cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, *args: str) -> int:
    for name in [k for k in os.environ if k.startswith("TRICLOUD_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TRICLOUD_LOCAL_DIR", str(tmp_path / "local"))
    monkeypatch.setenv("TRICLOUD_SOURCE_URL", url)
    return main(["cdc", *args])


def _objects(url: str) -> tuple[list[str], list[str]]:
    with psycopg.connect(url) as conn:
        pubs = [r[0] for r in conn.execute("SELECT pubname FROM pg_publication")]
        slots = [r[0] for r in conn.execute(
            "SELECT slot_name FROM pg_replication_slots WHERE database = current_database()")]
    return pubs, slots


def test_setup_status_drop_through_the_cli(cdc_source: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(monkeypatch, tmp_path, cdc_source, "setup") == 0
    assert "publication tricloud created for 11 tables" in capsys.readouterr().out
    assert _cli(monkeypatch, tmp_path, cdc_source, "setup") == 0  # idempotent
    assert "replication slot tricloud exists" in capsys.readouterr().out
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE staff SET first_name = 'Z' WHERE staff_id = 1")
    assert _cli(monkeypatch, tmp_path, cdc_source, "status") == 0
    text = capsys.readouterr().out
    assert "replication slot tricloud: idle" in text and "last confirmed LSN: 0/" in text
    assert "lag: 0 B" not in text
    assert _cli(monkeypatch, tmp_path, cdc_source, "drop") == 0
    assert "replication slot tricloud dropped" in capsys.readouterr().out
    assert _objects(cdc_source) == ([], [])
    assert _cli(monkeypatch, tmp_path, cdc_source, "status") == 0
    assert "not found (run `pipeline cdc setup`)" in capsys.readouterr().out


def test_status_reports_lag_until_the_slot_is_advanced(cdc_source: str) -> None:
    operations.setup(cdc_source, NAMES)
    idle = operations.status(cdc_source, NAMES)
    assert idle is not None and idle.oldest_pending is None and idle.lag_seconds == 0.0
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE staff SET first_name = 'Z' WHERE staff_id = 1")
        behind = operations.status(cdc_source, NAMES)
        assert behind is not None and behind.lag_bytes > 0 and behind.oldest_pending is not None
        assert behind.confirmed_lsn == idle.confirmed_lsn
        end = SlotReader(conn, NAMES.slot, NAMES.publication).peek().end_lsn
        SlotReader(conn, NAMES.slot, NAMES.publication).advance(end)
    caught_up = operations.status(cdc_source, NAMES)
    assert caught_up is not None and caught_up.confirmed_lsn == end
    assert caught_up.oldest_pending is None and caught_up.lag_bytes < behind.lag_bytes


def test_a_source_without_logical_wal_exits_2_naming_each_platform(
        make_database: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = make_database()  # the shared server keeps wal_level = replica
    assert _cli(monkeypatch, tmp_path, url, "setup") == 2
    err = capsys.readouterr().err
    for needed in ("wal_level = replica", "rds.logical_replication = 1",
                   "cloudsql.logical_decoding = on", "azure-flexible: set the server parameter "
                   "wal_level = logical", "embedded: ALTER SYSTEM SET wal_level = logical"):
        assert needed in err
    assert _objects(url) == ([], [])


def test_setup_gives_every_table_full_replica_identity_even_without_a_key(
        cdc_source: str) -> None:
    """The cdc source needs FULL (identity.WHY_FULL); it also identifies a keyless table."""
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("ALTER TABLE payment DROP CONSTRAINT payment_pkey")
    done = operations.setup(cdc_source, NAMES)
    [full] = [line for line in done if line.startswith("replica identity FULL set on ")]
    assert set(full.removeprefix("replica identity FULL set on ").split(", ")) == \
        {t.name for t in TABLES}
    assert "replication slot tricloud created (pgoutput)" in done
    with psycopg.connect(cdc_source) as conn:
        assert identity.not_full(conn, "public", [t.name for t in TABLES]) == []
    assert "replica identity FULL already on every table" in operations.setup(cdc_source, NAMES)


def test_setup_by_a_role_that_does_not_own_the_tables_names_the_statements(
        cdc_source: str) -> None:
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS replicator")
        conn.execute("CREATE ROLE replicator LOGIN REPLICATION")
    info = psycopg.conninfo.conninfo_to_dict(cdc_source)
    url = psycopg.conninfo.make_conninfo(**{**info, "user": "replicator", "password": None})
    try:
        with pytest.raises(ReplicaIdentityError, match="have the tables' owner run: ALTER "
                           r"TABLE public\.currency REPLICA IDENTITY FULL; .* public\.payment "):
            operations.setup(url, NAMES)
        assert _objects(cdc_source) == ([], [])
    finally:
        with psycopg.connect(cdc_source, autocommit=True) as conn:
            conn.execute("DROP ROLE replicator")


def _hold(url: str, slot: str) -> psycopg.Connection:
    """Another consumer: a walsender streaming from the slot until its connection closes."""
    conn = psycopg.connect(url, autocommit=True, replication="database")
    conn.pgconn.send_query(f"START_REPLICATION SLOT {slot} LOGICAL 0/0 (proto_version '1', "
                           "publication_names 'tricloud')".encode())
    _wait_active(url, slot, active=True)
    return conn


def _wait_active(url: str, slot: str, *, active: bool) -> None:
    """The walsender takes and releases a slot asynchronously; wait (bounded) for the state."""
    with psycopg.connect(url, autocommit=True) as probe:
        for _ in range(200):
            if probe.execute("SELECT active FROM pg_replication_slots WHERE slot_name = %s",
                             (slot,)).fetchone() == (active,):
                return
            time.sleep(0.05)
    raise AssertionError(f"slot {slot} never became {'active' if active else 'inactive'}")


def test_a_slot_held_by_another_consumer_is_named_not_stolen(cdc_source: str) -> None:
    held = operations.Names(slot="held")
    operations.setup(cdc_source, held)
    consumer = _hold(cdc_source, "held")
    try:
        found = operations.status(cdc_source, held)
        assert found is not None and found.active_pid is not None
        with psycopg.connect(cdc_source, autocommit=True) as conn, \
                pytest.raises(PipelineError, match="in use by another consumer"):
            SlotReader(conn, "held", "tricloud").peek()
        with pytest.raises(PipelineError, match="is in use"):
            operations.drop(cdc_source, held)
    finally:
        consumer.close()  # not a context manager: the COPY in progress forbids its COMMIT
    _wait_active(cdc_source, "held", active=False)
    assert "replication slot held dropped" in operations.drop(cdc_source, held)


def test_a_bad_slot_name_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(monkeypatch, tmp_path, "postgresql://nowhere/db", "status",
                "--slot", "Bad-Name") == 2
    assert "invalid replication slot name 'Bad-Name'" in capsys.readouterr().err
