"""Deletes and every version (WAREHOUSE.md) through transform and load into a real PostgreSQL.

The batches are hand-built change-stream batches (``cdc_batches``): the golden source as the
initial snapshot, then transactions that update, delete and re-insert rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from pipeline import transform
from pipeline.session import Session
from pipeline.source.cdc.changes import Change, Op
from pipeline.stages import StageResult
from pipeline.warehouse import load
from tests.pipeline import goldendata as g
from tests.pipeline.cdc_batches import Stream, key_only, write_batch
from tests.pipeline.recomputed import kept_and_recomputed

UPDATE, DELETE, INSERT, TRUNCATE = Op.UPDATE, Op.DELETE, Op.INSERT, Op.TRUNCATE


def _run(settings: g.Settings, url: str) -> StageResult:
    result = transform.run(Session.of(settings))
    load.run(Session.of(settings, warehouse_url=url))
    return result


def _start(storage_root: str, make_database: Callable[[], str]
           ) -> tuple[g.Settings, str, Stream, dict[str, list[dict[str, Any]]]]:
    """A warehouse loaded from the golden source's initial snapshot."""
    settings, url = g.settings_for(storage_root), make_database()
    stream, data = Stream(), g.golden()
    write_batch(settings.raw_uri, stream.snapshot(data))
    _run(settings, url)
    return settings, url, stream, data


def _at(change: list[Change]) -> tuple[Any, Any]:
    """A transaction's commit time as the fact's (last_updated_date, last_updated_time), UTC."""
    moment = change[0].commit_time.replace(tzinfo=None)
    return moment.date(), moment.time()


def _versions(url: str, table: str, key: str, id_: int, *columns: str) -> list[tuple[Any, ...]]:
    cols = ", ".join(("last_updated_date", "last_updated_time", *columns, "is_deleted"))
    return g.fetch(url, f"SELECT {cols} FROM warehouse.{table} WHERE {key} = {id_} "
                        "ORDER BY change_lsn, change_ordinal")


def test_a_deleted_order_leaves_the_aggregates_and_keeps_its_history(
        storage_root: str, make_database: Callable[[], str]) -> None:
    settings, url, stream, data = _start(storage_root, make_database)
    order_1, payment_2 = data["sales_order"][0], data["payment"][1]
    changed = stream.commit(("sales_order", UPDATE,
                             g.updated(order_1, "2024-03-01 10:00:00", units_sold=12)))
    deleted = stream.commit(("sales_order", DELETE, key_only("sales_order", order_1)))
    # REPLICA IDENTITY FULL: the delete carries the whole old row
    paid_gone = stream.commit(("payment", DELETE, payment_2))
    write_batch(settings.raw_uri, changed + deleted + paid_gone)

    result = _run(settings, url)

    assert (result.rows_in, result.rows_out, result.quarantined) == (3, 3, 0)
    # its history, the version that lived only between two runs, and one deleted version with
    # the last version's values at the delete's commit time
    assert _versions(url, "fact_sales_order", "sales_order_id", 1, "created_date",
                     "units_sold", "unit_price") == [
        (g._d("2024-01-02"), g._t("09:15"), g._d("2024-01-02"), 10, g.D("2.50"), False),
        (g._d("2024-03-01"), g._t("10:00"), g._d("2024-01-02"), 12, g.D("2.50"), False),
        (*_at(deleted), g._d("2024-01-02"), 12, g.D("2.50"), True),
    ]
    assert _versions(url, "fact_payment", "payment_id", 2, "payment_amount", "paid") == [
        (g._d("2024-01-16"), g._t("12:00"), g.D("20.00"), False, False),
        (*_at(paid_gone), g.D("20.00"), False, True),
    ]
    # the deleted order's group and the deleted payment's group are gone, the others stay
    assert g.fetch(url, "SELECT * FROM warehouse.agg_sales_daily ORDER BY 1, 2") == [
        (g._d("2024-01-02"), 2, "United States", "USD", 1, 5, g.D("20.00")),
        (g._d("2024-02-05"), 1, "United Kingdom", "GBP", 1, 3, g.D("7.50")),
    ]
    kept, recomputed = kept_and_recomputed(url)
    assert kept == recomputed
    assert (g._d("2024-01-01"), "SALES_RECEIPT", False, "USD") not in [
        r[:4] for r in g.fetch(url, "SELECT * FROM warehouse.agg_payments_monthly")]
    assert g.fetch(url, "SELECT count(*) FROM warehouse.agg_payments_monthly") == [(3,)]
    # every fact date resolves, the deletes' commit dates included
    assert g.fetch(url, """SELECT count(*) FROM warehouse.fact_sales_order f
                           LEFT JOIN warehouse.dim_date d ON d.date_id = f.last_updated_date
                           WHERE d.date_id IS NULL""") == [(0,)]


def test_a_deleted_then_reinserted_id_is_live_and_a_deleted_parent_still_existed(
        storage_root: str, make_database: Callable[[], str]) -> None:
    settings, url, stream, data = _start(storage_root, make_database)
    design_2, order_2 = data["design"][1], data["sales_order"][1]
    new_order = g._at("2024-03-01 12:00:00", g.sales_order(4, 2, 1, 1, "9.00", 1, "2024-03-05",
                                                           "2024-03-09", 1))
    write_batch(settings.raw_uri, [
        *stream.commit(("design", DELETE, key_only("design", design_2))),
        *stream.commit(("sales_order", DELETE, key_only("sales_order", order_2))),
        # an order of the deleted design: the design existed, so the reference holds
        *stream.commit(("sales_order", INSERT, new_order)),
    ])

    result = _run(settings, url)

    assert result.quarantined == 0
    assert g.fetch(url, "SELECT design_name, is_deleted FROM warehouse.dim_design "
                        "WHERE design_id = 2") == [("Steel Lamp", True)]
    assert g.fetch(url, "SELECT count(*) FROM warehouse.fact_sales_order "
                        "WHERE sales_order_id = 4") == [(1,)]
    assert (g._d("2024-01-02"), 2) not in [
        r[:2] for r in g.fetch(url, "SELECT * FROM warehouse.agg_sales_daily")]

    reinserted = g._at("2024-03-02 08:00:00", {**order_2, "units_sold": 7})
    write_batch(settings.raw_uri, [
        *stream.commit(("design", INSERT, g.updated(design_2, "2024-03-02 08:00:00",
                                                    design_name="Brass Lamp"))),
        *stream.commit(("sales_order", INSERT, reinserted)),
    ])
    _run(settings, url)

    assert g.fetch(url, "SELECT design_name, is_deleted FROM warehouse.dim_design "
                        "WHERE design_id = 2") == [("Brass Lamp", False)]
    assert [r[2:] for r in _versions(url, "fact_sales_order", "sales_order_id", 2,
                                     "units_sold")] == [(5, False), (5, True), (7, False)]
    kept, recomputed = kept_and_recomputed(url)
    assert kept == recomputed
    assert (g._d("2024-03-02"), 2, "United States", "USD", 1, 7, g.D("28.00")) in \
        g.fetch(url, "SELECT * FROM warehouse.agg_sales_daily")


def test_every_change_is_a_version_whatever_last_updated_says(
        storage_root: str, make_database: Callable[[], str]) -> None:
    settings, url, stream, data = _start(storage_root, make_database)
    order_3 = data["sales_order"][2]
    later, earlier = "2024-03-01 12:00:00", "2024-02-04 14:00:00"
    write_batch(settings.raw_uri, [
        *stream.commit(("sales_order", UPDATE, g.updated(order_3, later, units_sold=4))),
        # the same (id, last_updated) again, in the same batch
        *stream.commit(("sales_order", UPDATE, g.updated(order_3, later, units_sold=5))),
        # last_updated moved backwards, twice in one transaction
        *stream.commit(("sales_order", UPDATE, g.updated(order_3, earlier, units_sold=6)),
                       ("sales_order", UPDATE, g.updated(order_3, earlier, units_sold=7))),
    ])

    result = _run(settings, url)

    assert (result.details["duplicates"], result.rows_in) == (0, 4)
    write_batch(settings.raw_uri, stream.commit(  # last_updated left alone
        ("sales_order", UPDATE, g.updated(order_3, earlier, units_sold=8))))
    _run(settings, url)

    assert [r[2] for r in _versions(url, "fact_sales_order", "sales_order_id", 3,
                                    "units_sold")] == [3, 4, 5, 6, 7, 8]
    # the latest version is the last committed one, not the greatest last_updated
    assert (g._d("2024-02-05"), 1, "United Kingdom", "GBP", 1, 8, g.D("20.00")) in \
        g.fetch(url, "SELECT * FROM warehouse.agg_sales_daily")
    kept, recomputed = kept_and_recomputed(url)
    assert kept == recomputed


def test_the_same_change_twice_adds_nothing(
        storage_root: str, make_database: Callable[[], str]) -> None:
    settings, url, stream, data = _start(storage_root, make_database)
    order_1 = data["sales_order"][0]
    update = stream.commit(("sales_order", UPDATE,
                            g.updated(order_1, "2024-03-01 10:00:00", units_sold=12)))
    delete = stream.commit(("sales_order", DELETE, key_only("sales_order", order_1)))
    write_batch(settings.raw_uri, update + delete)
    _run(settings, url)
    first = g.checksums(url)

    # a later batch delivers the delete again: a duplicate, not a version
    write_batch(settings.raw_uri, delete)
    result = _run(settings, url)
    assert (result.details["duplicates"], result.rows_in) == (1, 0)
    assert g.checksums(url) == first

    # and a lost ledger reloads every batch onto the same rows
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM warehouse.load_ledger")
    load.run(Session.of(settings, warehouse_url=url))
    assert g.checksums(url) == first


def test_a_delete_of_an_id_never_seen_is_quarantined(storage_root: str) -> None:
    settings, stream = g.settings_for(storage_root), Stream()
    batch_id = write_batch(settings.raw_uri, [
        *stream.snapshot({"currency": g.golden()["currency"]}),
        *stream.commit(("currency", DELETE, {"currency_id": 99})),
    ])

    result = transform.run(Session.of(settings))

    assert (result.rows_in, result.rows_out, result.quarantined) == (4, 3, 1)
    assert [(q["key"], q["rule"]) for q in g.quarantined(settings, batch_id)] == \
        [("99", "missing_value")]


def test_a_truncate_deletes_every_live_id_at_its_position(
        storage_root: str, make_database: Callable[[], str]) -> None:
    settings, url, stream, data = _start(storage_root, make_database)
    order_4 = g._at("2024-03-01 12:00:00", g.sales_order(4, 2, 1, 1, "9.00", 1, "2024-03-05",
                                                         "2024-03-09", 1))
    order_5 = g._at("2024-03-01 13:00:00", g.sales_order(5, 1, 1, 2, "1.00", 1, "2024-03-05",
                                                         "2024-03-09", 1))
    inserted = stream.commit(("sales_order", INSERT, order_4))
    deleted = stream.commit(("sales_order", DELETE,
                             key_only("sales_order", data["sales_order"][0])))
    truncated = stream.commit(("sales_order", TRUNCATE, {}), ("payment", TRUNCATE, {}))
    write_batch(settings.raw_uri, [*inserted, *deleted, *truncated,
                                       *stream.commit(("sales_order", INSERT, order_5))])

    result = _run(settings, url)

    # 3 changes of orders; orders 2 and 3 (from the state) and 4 (from the batch) were live at
    # the truncate, order 1 already gone; every payment was live, though the payment table has
    # no row in the batch
    assert (result.rows_in, result.quarantined) == (3 + 3 + 4, 0)
    assert g.fetch(url, """SELECT sales_order_id, last_updated_date, last_updated_time
                           FROM warehouse.fact_sales_order WHERE is_deleted
                           ORDER BY change_lsn, sales_order_id""") == [
        (1, *_at(deleted)), (2, *_at(truncated)), (3, *_at(truncated)), (4, *_at(truncated))]
    assert g.fetch(url, "SELECT count(*) FROM warehouse.fact_payment WHERE is_deleted") == [(4,)]
    # only the order inserted after the truncate counts
    assert g.fetch(url, "SELECT orders, units_sold FROM warehouse.agg_sales_daily") == [(1, 2)]
    assert g.fetch(url, "SELECT count(*) FROM warehouse.agg_payments_monthly") == [(0,)]
