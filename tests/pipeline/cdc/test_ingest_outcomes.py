"""A cdc ingest that cannot proceed says why, exits as the CLI promises, and loses nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.source.cdc import operations
from tests.pipeline.cdc import rawzone as rz
from tests.pipeline.cdc.test_operations import _hold

NAMES = operations.Names()


def _ingest_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str) -> int:
    for name in [k for k in os.environ if k.startswith("TRICLOUD_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("TRICLOUD_LOCAL_DIR", str(tmp_path))
    monkeypatch.setenv("TRICLOUD_SOURCE", "cdc")
    monkeypatch.setenv("TRICLOUD_SOURCE_URL", url)
    return main(["ingest"])


def test_a_source_without_logical_wal_exits_2_naming_each_platform(
        make_database: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = make_database()  # the shared server keeps wal_level = replica
    assert _ingest_cli(monkeypatch, tmp_path, url) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    for needed in ("wal_level = replica", "rds.logical_replication = 1",
                   "cloudsql.logical_decoding = on", "wal_level = logical"):
        assert needed in err
    assert rz.manifests(tmp_path) == []


def test_a_role_that_may_not_replicate_exits_2_with_the_grant(
        cdc_source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    operations.setup(cdc_source, NAMES)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS reader")
        conn.execute("CREATE ROLE reader LOGIN")
    info = psycopg.conninfo.conninfo_to_dict(cdc_source)
    url = psycopg.conninfo.make_conninfo(**{**info, "user": "reader", "password": None})
    try:
        assert _ingest_cli(monkeypatch, tmp_path, url) == 2
        err = capsys.readouterr().err
        assert "role reader may not use replication" in err
        assert "GRANT rds_replication TO reader" in err
        assert "ALTER USER reader WITH REPLICATION" in err
    finally:
        with psycopg.connect(cdc_source, autocommit=True) as conn:
            conn.execute("DROP ROLE reader")


def test_missing_publication_or_replica_identity_exit_2_with_the_fix(
        cdc_source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert _ingest_cli(monkeypatch, tmp_path, cdc_source) == 2
    assert "publication tricloud not found on the source: run `pipeline cdc setup`" in \
        capsys.readouterr().err
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("CREATE PUBLICATION tricloud FOR ALL TABLES")
    assert _ingest_cli(monkeypatch, tmp_path, cdc_source) == 2
    err = capsys.readouterr().err
    assert "REPLICA IDENTITY FULL" in err and "ALTER TABLE public.sales_order REPLICA " \
        "IDENTITY FULL" in err
    assert rz.manifests(tmp_path) == []


def test_a_table_without_a_primary_key_needs_full_identity_then_works(
        cdc_source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    operations.setup(cdc_source, NAMES)
    assert rz.run_ingest(tmp_path, cdc_source).details["mode"] == "snapshot"
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("ALTER TABLE payment DROP CONSTRAINT payment_pkey")
        conn.execute("ALTER TABLE payment REPLICA IDENTITY DEFAULT")
    assert _ingest_cli(monkeypatch, tmp_path, cdc_source) == 2
    assert "has no primary key" in (err := capsys.readouterr().err)
    assert "ALTER TABLE public.payment REPLICA IDENTITY FULL" in err
    assert "replica identity FULL set on payment" in operations.setup(cdc_source, NAMES)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE payment SET paid = NOT paid WHERE payment_id = 1")
        conn.execute("DELETE FROM payment WHERE payment_id = 2")
    assert _ingest_cli(monkeypatch, tmp_path, cdc_source) == 0
    ops = [(r["payment_id"], op, r["paid"] is not None)
           for i in (1, 2) for op, r in rz.versions(tmp_path, "payment", "payment_id", i)]
    assert ops == [(1, "update", True), (2, "delete", True)]


def test_a_slot_in_use_by_another_consumer_is_refused_and_nothing_is_lost(
        cdc_source: str, tmp_path: Path) -> None:
    operations.setup(cdc_source, NAMES)
    rz.run_ingest(tmp_path, cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("UPDATE staff SET first_name = 'Kept' WHERE staff_id = 1")
    consumer = _hold(cdc_source, "tricloud")
    try:
        with pytest.raises(PipelineError, match=r"replication slot tricloud is in use by "
                           r"another consumer \(backend pid \d+\)"):
            rz.run_ingest(tmp_path, cdc_source)
    finally:
        consumer.close()
    rz.wait_inactive(cdc_source)
    assert len(rz.manifests(tmp_path)) == 1
    rz.run_ingest(tmp_path, cdc_source)
    assert [r["first_name"] for r in rz.rows(tmp_path, "staff", "changes")] == ["Kept"]


def test_a_dropped_slot_with_committed_changes_is_an_error_not_a_silent_restart(
        cdc_source: str, tmp_path: Path) -> None:
    operations.setup(cdc_source, NAMES)
    rz.run_ingest(tmp_path, cdc_source)
    with psycopg.connect(cdc_source, autocommit=True) as conn:
        conn.execute("SELECT pg_drop_replication_slot('tricloud')")
    with pytest.raises(PipelineError, match=r"is gone .* holds changes up to LSN"):
        rz.run_ingest(tmp_path, cdc_source)
