"""Kill the cdc ingest at each step, rerun it: the raw zone holds every change exactly once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from pipeline.source.cdc import operations
from pipeline.source.postgres import PostgresSource
from pipeline.source.tables import TABLES
from tests.pipeline.cdc import rawzone as rz
from tests.pipeline.faults import CRASH_EXIT_CODE

REPO = Path(__file__).resolve().parents[3]
_CHILD = """
import sys
from pathlib import Path
from tests.pipeline.cdc.cdcfaults import arm
from tests.pipeline.cdc.rawzone import run_ingest
arm(sys.argv[3])
run_ingest(Path(sys.argv[1]), sys.argv[2], batch_changes=2)
"""


def _crash(folder: Path, url: str, point: str) -> None:
    child = subprocess.run([sys.executable, "-c", _CHILD, str(folder), url, point], cwd=REPO,
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == CRASH_EXIT_CODE, child.stderr
    rz.wait_inactive(url)


def _change(url: str, *statements: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _assert_raw_equals_source(folder: Path, url: str) -> None:
    """Snapshot plus changes replayed in commit order is the source, table by table; and
    ``replay`` fails on any change written twice."""
    with PostgresSource(url) as source:
        for table in TABLES:
            expected = {r[table.key]: r for b in source.read(table, None)
                        for r in b.to_pylist()}
            assert rz.replay(folder, table.name, table.key) == expected, table.name


@pytest.mark.parametrize("point", ["decoded", "parquet", "manifest", "advance"])
def test_a_drain_killed_at_each_step_then_rerun_keeps_each_change_once(
        cdc_source: str, tmp_path: Path, point: str) -> None:
    operations.setup(cdc_source, operations.Names())
    rz.run_ingest(tmp_path, cdc_source)
    _change(cdc_source,
            "UPDATE staff SET first_name = 'A1' WHERE staff_id = 1",
            "UPDATE staff SET first_name = 'A2' WHERE staff_id = 1",
            "DELETE FROM sales_order WHERE sales_order_id = 5",
            "BEGIN", "TRUNCATE payment_type",
            "INSERT INTO payment_type VALUES (9, 'SALES_RECEIPT', now(), now())", "COMMIT",
            "UPDATE currency SET currency_code = 'XAU' WHERE currency_id = 1")
    _crash(tmp_path, cdc_source, point)
    _change(cdc_source, "UPDATE staff SET first_name = 'B1' WHERE staff_id = 1")
    rz.run_ingest(tmp_path, cdc_source)

    assert [r["first_name"] for r in rz.rows(tmp_path, "staff", "changes")] == \
        ["A1", "A2", "B1"]
    assert [op for op, _ in rz.versions(tmp_path, "sales_order", "sales_order_id", 5)] == \
        ["delete"]
    truncates = [e for m in rz.manifests(tmp_path) for e in m["cdc"]["truncates"]]
    assert [e["table"] for e in truncates] == ["payment_type"]
    _assert_raw_equals_source(tmp_path, cdc_source)


@pytest.mark.parametrize("point", ["parquet", "manifest"])
def test_a_snapshot_killed_then_rerun_is_taken_once(
        cdc_source: str, tmp_path: Path, point: str) -> None:
    operations.setup(cdc_source, operations.Names())
    _crash(tmp_path, cdc_source, point)
    _change(cdc_source, "UPDATE staff SET first_name = 'S1' WHERE staff_id = 1",
            "DELETE FROM staff WHERE staff_id = 2")
    rz.run_ingest(tmp_path, cdc_source)
    _change(cdc_source, "UPDATE staff SET first_name = 'S2' WHERE staff_id = 1")
    rz.run_ingest(tmp_path, cdc_source)

    kinds = [m["cdc"]["kind"] for m in rz.manifests(tmp_path)]
    assert kinds.count("snapshot") == 1 and kinds[0] == "snapshot"
    _assert_raw_equals_source(tmp_path, cdc_source)
