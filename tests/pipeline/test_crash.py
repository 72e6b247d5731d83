"""Kill the load dead at named points, rerun it, and get exactly the clean run's warehouse."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline import transform
from pipeline.session import Session
from pipeline.warehouse import load
from tests.pipeline import goldendata as g
from tests.pipeline.faults import CRASH_EXIT_CODE

B1, B2 = "20240301T000000Z", "20240302T000000Z"
REPO = Path(__file__).resolve().parents[2]

_CHILD = """
import sys
from pipeline.session import Session
from pipeline.warehouse import load
from tests.pipeline.faults import arm_load
from tests.pipeline.goldendata import settings_for
arm_load(sys.argv[3])
load.run(Session.of(settings_for(sys.argv[1]), warehouse_url=sys.argv[2]))
"""

POINTS = [
    "migrated",
    "staged:dim_date",
    "upserted:fact_sales_order",
    "committed:fact_sales_order",
    "upserted:dim_design@" + B2,
    "staged:fact_payment@" + B2,
    "committed:fact_sales_order@" + B2,
    "upserted:agg_payments_monthly@" + B2,
]


@pytest.fixture
def two_batches(storage_root: str) -> str:
    settings = g.settings_for(storage_root)
    data = g.golden()
    g.write_batch(settings.raw_uri, B1, data)
    g.write_batch(settings.raw_uri, B2, g.history_batch(data))
    transform.run(Session.of(settings))
    return storage_root


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS)
def test_crash_then_rerun_equals_clean_run(
        two_batches: str, make_database: Callable[[], str], point: str) -> None:
    settings = g.settings_for(two_batches)
    clean_url, crash_url = make_database(), make_database()
    load.run(Session.of(settings, warehouse_url=clean_url))

    child = subprocess.run([sys.executable, "-c", _CHILD, two_batches, crash_url, point],
                           cwd=REPO, capture_output=True, text=True, timeout=120)
    assert child.returncode == CRASH_EXIT_CODE, child.stderr
    if not point.startswith("migrated"):
        # the crash happened mid-load: something is missing until the rerun
        assert g.fetch(crash_url, "SELECT count(*) FROM warehouse.load_ledger")[0][0] < 28
    load.run(Session.of(settings, warehouse_url=crash_url))

    assert g.checksums(crash_url) == g.checksums(clean_url)
    assert g.fetch(crash_url, "SELECT count(*) FROM warehouse.load_ledger") == [(28,)]


def test_a_crash_before_commit_leaves_no_partial_table(
        two_batches: str, make_database: Callable[[], str]) -> None:
    url = make_database()
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, two_batches, url, "upserted:fact_sales_order"],
        cwd=REPO, capture_output=True, text=True, timeout=120)

    assert child.returncode == CRASH_EXIT_CODE, child.stderr
    assert g.fetch(url, "SELECT count(*) FROM warehouse.fact_sales_order") == [(0,)]
    assert g.fetch(url, "SELECT count(*) FROM warehouse.dim_transaction") == [(4,)]
    assert g.fetch(url, """SELECT count(*) FROM warehouse.load_ledger
                           WHERE table_name = 'fact_sales_order'""") == [(0,)]
