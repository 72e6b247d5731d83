"""Change data capture through the whole pipeline: a real slot on the embedded server with
logical WAL, the cdc ingest, the transform and the load into a real warehouse
(WAREHOUSE.md, "Deletes and every version")."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pipeline.session import Session
from pipeline.source import mutate
from pipeline.source.cdc import operations
from pipeline.warehouse import load
from tests.pipeline import goldendata as g
from tests.pipeline.cdc import e2e
from tests.pipeline.cdc import rawzone as rz
from tests.pipeline.cdc import silent_losses as sl
from tests.pipeline.faults import CRASH_EXIT_CODE
from tests.pipeline.recomputed import kept_and_recomputed

REPO = Path(__file__).resolve().parents[3]


def _facts(url: str, table: str, key: str, id_: int, *columns: str) -> list[tuple[Any, ...]]:
    """One id's fact versions in commit order: (*columns, is_deleted)."""
    cols = ", ".join((*columns, "is_deleted"))
    return g.fetch(url, f"SELECT {cols} FROM warehouse.{table} WHERE {key} = {id_} "
                        "ORDER BY change_lsn, change_ordinal")


def _aggregates_match_latest_versions(url: str) -> None:
    kept, recomputed = kept_and_recomputed(url)
    assert kept == recomputed


def _latest_orders(url: str) -> dict[int, tuple[Any, ...]]:
    """sales_order_id -> (units_sold, is_deleted) of its last committed fact version."""
    rows = g.fetch(url, """SELECT DISTINCT ON (sales_order_id) sales_order_id, units_sold,
                                  is_deleted FROM warehouse.fact_sales_order
                           ORDER BY sales_order_id, change_lsn DESC, change_ordinal DESC""")
    return {r[0]: r[1:] for r in rows}


def _source_units(url: str) -> dict[int, tuple[Any, ...]]:
    rows = g.fetch(url, "SELECT sales_order_id, units_sold FROM sales_order")
    return {r[0]: (r[1], False) for r in rows}


_FACTS = ("fact_sales_order", "fact_purchase_order", "fact_payment")


def test_where_the_source_behaves_cdc_and_watermark_give_the_same_warehouse(
        cdc_source: str, tmp_path: Path, make_database: Callable[[], str]) -> None:
    operations.setup(cdc_source, e2e.names())
    cdc, watermark = e2e.cdc_settings(tmp_path / "cdc"), e2e.watermark_settings(tmp_path / "wm")
    cdc_url, watermark_url = make_database(), make_database()
    for day in (1, 2, 3):  # the initial copy, then two days of in-place edits and new orders
        if day > 1:
            with psycopg.connect(cdc_source) as conn:
                mutate.mutate(conn, seed=day, update_fraction=0.2)
        e2e.run(cdc, cdc_source, cdc_url)
        e2e.run(watermark, cdc_source, watermark_url)
        if day == 1:  # the copy: equal down to the fact record ids (one version per id each)
            assert e2e.view(cdc_url, e2e.POSITION) == e2e.view(watermark_url, e2e.POSITION)
            # every cdc fact version has its change position, none is deleted
            assert [g.fetch(cdc_url, f"SELECT count(*) FROM warehouse.{t} WHERE "
                                     "change_lsn IS NULL OR is_deleted") for t in _FACTS] == \
                [[(0,)]] * len(_FACTS)

    assert e2e.view(cdc_url) == e2e.view(watermark_url)
    assert e2e.deleted_rows(cdc_url) == {}
    # not trivially equal: the history has versions and the new orders arrived
    [(versions, orders)] = g.fetch(cdc_url, "SELECT count(*), count(DISTINCT sales_order_id) "
                                            "FROM warehouse.fact_sales_order")
    assert versions > orders > 40
    assert _latest_orders(cdc_url) == _source_units(cdc_source)


def _start(cdc_source: str, tmp_path: Path, make_database: Callable[[], str],
           slot: str = "tricloud", **cdc: Any) -> tuple[Any, str]:
    """A cdc pipeline that has taken its initial snapshot into a fresh warehouse."""
    operations.setup(cdc_source, e2e.names(slot))
    settings, url = e2e.cdc_settings(tmp_path / slot, slot, **cdc), make_database()
    e2e.run(settings, cdc_source, url)
    return settings, url


def test_the_four_silent_losses_and_a_delete_reach_the_warehouse_as_versions(
        cdc_source: str, tmp_path: Path, make_database: Callable[[], str]) -> None:
    settings, url = _start(cdc_source, tmp_path, make_database)
    before = {i: u for i, (u, _) in _latest_orders(url).items()}
    e2e.sql(cdc_source, *sl.EDITS)
    e2e.run(settings, cdc_source, url)

    # each order's copied version, then one fact version per change; the delete is one more
    # version with the last values
    orders = (*sl.UNITS, sl.DELETED)
    assert {i: _facts(url, "fact_sales_order", "sales_order_id", i, "units_sold")
            for i in orders} == {
        **{i: [(before[i], False), *((u, False) for u in units)]
           for i, units in sl.UNITS.items()},
        sl.DELETED: [(before[sl.DELETED], False), (before[sl.DELETED], True)]}
    # the same (id, last_updated) three times (neither update moved it): three fact rows, no
    # duplicate dropped
    [(stamps,)] = g.fetch(url, "SELECT count(DISTINCT (last_updated_date, last_updated_time)) "
                               "FROM warehouse.fact_sales_order "
                               f"WHERE sales_order_id = {sl.ONE_TRANSACTION}")
    assert stamps == 1
    # the latest version (commit order) is what dimensions and aggregates hold
    assert _latest_orders(url) == {**_source_units(cdc_source),
                                   sl.DELETED: (before[sl.DELETED], True)}
    assert g.fetch(url, "SELECT design_name FROM warehouse.dim_design WHERE design_id = 1") == \
        [(sl.DESIGN_1_NAME,)]
    assert g.fetch(url, "SELECT first_name FROM warehouse.dim_staff WHERE staff_id = 1") == \
        [(sl.STAFF_1_FIRST_NAME,)]
    _aggregates_match_latest_versions(url)
    assert e2e.deleted_rows(url) == {"fact_sales_order": 1}


def _utc_now(url: str) -> datetime:
    [(moment,)] = g.fetch(url, "SELECT clock_timestamp() AT TIME ZONE 'UTC'")
    return moment


def test_deletes_reinserts_and_a_truncate_reach_the_warehouse(
        cdc_source: str, tmp_path: Path, make_database: Callable[[], str]) -> None:
    settings, url = _start(cdc_source, tmp_path, make_database)
    [(pid, month, ptype, paid, code)] = g.fetch(url, """
        SELECT f.payment_id, date_trunc('month', f.payment_date)::date, t.payment_type_name,
               f.paid, c.currency_code FROM warehouse.fact_payment f
        JOIN warehouse.dim_payment_type t USING (payment_type_id)
        JOIN warehouse.dim_currency c USING (currency_id) ORDER BY f.payment_id LIMIT 1""")
    group = f"""SELECT coalesce(sum(payments), 0) FROM warehouse.agg_payments_monthly
                WHERE month = '{month}' AND payment_type_name = '{ptype}' AND paid = {paid}
                AND currency_code = '{code}'"""
    [(payments_before,)] = g.fetch(url, group)
    e2e.sql(cdc_source, "UPDATE sales_order SET units_sold = 77, last_updated = now() "
            "WHERE sales_order_id = 5")
    e2e.run(settings, cdc_source, url)  # a version of order 5 the warehouse has seen
    before = _utc_now(cdc_source)
    e2e.sql(cdc_source, "DELETE FROM sales_order WHERE sales_order_id = 5",
            "DELETE FROM sales_order WHERE sales_order_id = 6",
            f"DELETE FROM payment WHERE payment_id = {pid}",
            # deleted and inserted again within one run
            "BEGIN", "DELETE FROM sales_order WHERE sales_order_id = 7",
            "INSERT INTO sales_order SELECT 7, design_id, staff_id, counterparty_id, 70, "
            "unit_price, currency_id, agreed_delivery_date, agreed_payment_date, "
            "agreed_delivery_location_id, created_at, now() FROM sales_order "
            "WHERE sales_order_id = 8", "COMMIT")
    after = _utc_now(cdc_source)
    e2e.run(settings, cdc_source, url)

    five = _facts(url, "fact_sales_order", "sales_order_id", 5, "units_sold",
                  "last_updated_date + last_updated_time")
    assert [(u, d) for u, _, d in five] == [(five[0][0], False), (77, False), (77, True)]
    [deleted] = [r for op, r in rz.versions(tmp_path / "tricloud", "sales_order",
                                            "sales_order_id", 5) if op == "delete"]
    assert five[-1][1] == deleted["cdc_commit_time"].replace(tzinfo=None)
    assert before <= five[-1][1] <= after
    [(history, gone)] = g.fetch(url, "SELECT count(*), count(*) FILTER (WHERE is_deleted) "
                                     "FROM warehouse.fact_sales_order WHERE sales_order_id = 6")
    assert (history, gone) == (2, 1)
    # deleted and inserted again: its snapshot version, the delete, the new live version
    assert [d for _, d in _facts(url, "fact_sales_order", "sales_order_id", 7,
                                 "units_sold")] == [False, True, False]
    latest = _latest_orders(url)
    assert latest == {**_source_units(cdc_source), 5: (77, True), 6: (latest[6][0], True)}
    assert latest[7] == (70, False)
    [(payments_after,)] = g.fetch(url, group)
    assert payments_after == payments_before - 1
    _aggregates_match_latest_versions(url)
    assert g.fetch(url, f"SELECT count(*) FILTER (WHERE is_deleted) FROM warehouse.fact_payment "
                        f"WHERE payment_id = {pid}") == [(1,)]

    # a re-insert in a later run: the id is live again with its new values
    e2e.sql(cdc_source, "INSERT INTO sales_order SELECT 6, design_id, staff_id, "
            "counterparty_id, 66, unit_price, currency_id, agreed_delivery_date, "
            "agreed_payment_date, agreed_delivery_location_id, now(), now() FROM sales_order "
            "WHERE sales_order_id = 8")
    # a truncate, and a payment inserted after it in the same transaction
    e2e.sql(cdc_source, "BEGIN", "TRUNCATE payment",
            "INSERT INTO payment VALUES (900, 1, 1, 12.50, 1, 1, true, '2024-05-02', 1, 2, "
            "now(), now())", "COMMIT")
    e2e.run(settings, cdc_source, url)

    assert _latest_orders(url)[6] == (66, False)
    assert [d for _, d in _facts(url, "fact_sales_order", "sales_order_id", 6,
                                 "units_sold")] == [False, True, False]
    live = g.fetch(url, """SELECT DISTINCT ON (payment_id) payment_id, is_deleted
                           FROM warehouse.fact_payment
                           ORDER BY payment_id, change_lsn DESC, change_ordinal DESC""")
    assert {p for p, d in live if not d} == {900}
    assert g.fetch(url, "SELECT payment_type_name, paid, payments, amount "
                        "FROM warehouse.agg_payments_monthly") == \
        [("SALES_RECEIPT", True, 1, g.D("12.50"))]
    # every payment was deleted exactly once: the one deleted before, the others by the truncate
    assert g.fetch(url, """SELECT count(*) FROM (SELECT payment_id FROM warehouse.fact_payment
                           WHERE is_deleted GROUP BY payment_id HAVING count(*) <> 1) x""") == \
        [(0,)]
    _aggregates_match_latest_versions(url)


CHANGES = (
    "UPDATE staff SET first_name = 'A1' WHERE staff_id = 1",
    "UPDATE staff SET first_name = 'A2' WHERE staff_id = 1",
    "BEGIN", "UPDATE sales_order SET units_sold = 931 WHERE sales_order_id = 3",
    "UPDATE sales_order SET units_sold = 932 WHERE sales_order_id = 3", "COMMIT",
    "UPDATE sales_order SET units_sold = 11, last_updated = last_updated - interval '1 day' "
    "WHERE sales_order_id = 4",
    "DELETE FROM sales_order WHERE sales_order_id = 5",
    "DELETE FROM payment WHERE payment_id = 2",
    "BEGIN", "TRUNCATE payment_type",
    "INSERT INTO payment_type VALUES (9, 'SALES_RECEIPT', now(), now())", "COMMIT",
    "INSERT INTO sales_order SELECT 5, design_id, staff_id, counterparty_id, 55, unit_price, "
    "currency_id, agreed_delivery_date, agreed_payment_date, agreed_delivery_location_id, "
    "now(), now() FROM sales_order WHERE sales_order_id = 6",
    "UPDATE currency SET currency_code = 'EUR' WHERE currency_id = 1",
)

_CHILD = """
import sys
from pathlib import Path
from tests.pipeline.cdc import e2e
from tests.pipeline.cdc.cdcfaults import arm
from tests.pipeline.faults import arm_load, crash

folder, source, warehouse, point = sys.argv[1:5]
if point == "transform":
    from pipeline.transform import state
    commit = state.commit
    def commit_then_die(*args, **kwargs):
        commit(*args, **kwargs)
        crash()
    state.commit = commit_then_die
elif ":" in point:
    arm_load(point)
else:
    arm(point)
e2e.run(e2e.cdc_settings(Path(folder), "crashed", batch_changes=2), source, warehouse)
"""


@pytest.mark.parametrize("point", ["decoded", "parquet", "manifest", "advance", "transform",
                                   "staged:fact_sales_order", "upserted:fact_payment",
                                   "committed:dim_payment_type"])
def test_killed_at_each_step_then_rerun_the_warehouse_equals_a_clean_runs(
        cdc_source: str, tmp_path: Path, make_database: Callable[[], str], point: str) -> None:
    clean, clean_url = _start(cdc_source, tmp_path, make_database, "clean", batch_changes=2)
    crashed, crashed_url = _start(cdc_source, tmp_path, make_database, "crashed",
                                  batch_changes=2)
    e2e.sql(cdc_source, *CHANGES)

    child = subprocess.run([sys.executable, "-c", _CHILD, str(tmp_path / "crashed"),
                            cdc_source, crashed_url, point], cwd=REPO, capture_output=True,
                           text=True, timeout=300)
    assert child.returncode == CRASH_EXIT_CODE, child.stderr
    rz.wait_inactive(cdc_source, "crashed")
    e2e.sql(cdc_source, "UPDATE staff SET first_name = 'B1' WHERE staff_id = 1")
    e2e.run(crashed, cdc_source, crashed_url)
    e2e.run(clean, cdc_source, clean_url)

    assert e2e.view(crashed_url) == e2e.view(clean_url)
    assert e2e.deleted_rows(clean_url) == {"dim_payment_type": 4, "fact_sales_order": 1,
                                           "fact_payment": 1}
    assert [u for u, _ in _facts(crashed_url, "fact_sales_order", "sales_order_id", 3,
                                 "units_sold")][1:] == [931, 932]


def test_loading_the_same_batches_again_adds_nothing(
        cdc_source: str, tmp_path: Path, make_database: Callable[[], str]) -> None:
    settings, url = _start(cdc_source, tmp_path, make_database)
    e2e.sql(cdc_source, *CHANGES)
    e2e.run(settings, cdc_source, url)
    first = g.checksums(url)

    e2e.run(settings, cdc_source, url)  # nothing new anywhere
    assert g.checksums(url) == first
    e2e.sql(url, "DELETE FROM warehouse.load_ledger")  # every batch is loaded once more
    load.run(Session.of(settings, warehouse_url=url))
    assert g.checksums(url) == first
