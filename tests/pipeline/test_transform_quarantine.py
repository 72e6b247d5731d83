"""Rows that break a rule: each lands in the quarantine with its rule, nothing is lost."""

from __future__ import annotations

import json
from typing import Any

from pipeline import transform
from pipeline.session import Session
from tests.pipeline import goldendata as g

B1, B2 = "20240301T000000Z", "20240302T000000Z"


def _bad_typed_batch(data: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    so, po, pay = data["sales_order"], data["purchase_order"], data["payment"]
    at = "2024-03-02 08:00:00"
    return {
        "sales_order": [
            g.updated(so[0], at, sales_order_id=90, agreed_delivery_date="2024-02-30"),
            g.updated(so[0], at, sales_order_id=91, units_sold=-1),
            g.updated(so[0], at, sales_order_id=92, design_id=999),
            g.updated(so[0], at, sales_order_id=98, staff_id=95),   # staff 95 is quarantined
            g.updated(so[0], at, sales_order_id=4),                 # a good row in between
            so[2],                                                  # overlap duplicate
        ],
        "purchase_order": [g.updated(po[0], at, purchase_order_id=93,
                                     item_unit_price=g.D("-0.01"))],
        "payment": [
            g.updated(pay[0], at, payment_id=94, transaction_id=77),
            g.updated(pay[0], at, payment_id=96, payment_date="soon"),
        ],
        "staff": [g.updated(data["staff"][0], at, staff_id=95, department_id=42)],
        "currency": [g.updated(data["currency"][0], at, currency_id=99, currency_code="EURO")],
        "transaction": [g.updated(data["transaction"][0], at, transaction_id=97,
                                  sales_order_id=91)],  # order 91 is quarantined
    }


def test_each_rule_quarantines_the_right_rows(storage_root: str) -> None:
    settings = g.settings_for(storage_root)
    data = g.golden()
    g.write_batch(settings.raw_uri, B1, data)
    transform.run(Session.of(settings))
    g.write_batch(settings.raw_uri, B2, _bad_typed_batch(data))

    result = transform.run(Session.of(settings))

    got = [(q["table_name"], q["key"], q["rule"], q["column_name"])
           for q in g.quarantined(settings, B2)]
    assert got == [
        ("currency", "99", "invalid_value", "currency_code"),
        ("payment", "94", "unknown_reference", "transaction_id"),
        ("payment", "96", "invalid_date", "payment_date"),
        ("purchase_order", "93", "negative_value", "item_unit_price"),
        ("sales_order", "90", "invalid_date", "agreed_delivery_date"),
        ("sales_order", "91", "negative_value", "units_sold"),
        ("sales_order", "92", "unknown_reference", "design_id"),
        ("sales_order", "98", "unknown_reference", "staff_id"),
        ("staff", "95", "unknown_reference", "department_id"),
        ("transaction", "97", "unknown_reference", "sales_order_id"),
    ]
    raw = {q["key"]: json.loads(q["raw_values"]) for q in g.quarantined(settings, B2)}
    assert raw["90"]["agreed_delivery_date"] == "2024-02-30"
    assert raw["91"]["units_sold"] == "-1"
    assert raw["96"]["payment_date"] == "soon"
    assert raw["99"]["currency_code"] == "EURO"
    assert {q["batch_id"] for q in g.quarantined(settings, B2)} == {B2}
    # balance: 12 rows read, 1 overlap duplicate, 11 new versions = 1 loaded + 10 quarantined
    assert result.details["rows_read"] == 12
    assert result.details["duplicates"] == 1
    assert (result.rows_in, result.rows_out, result.quarantined) == (11, 1, 10)
    assert result.rows_in == result.rows_out + result.quarantined
    assert [r[0] for r in g.processed_rows(settings, B2, "fact_sales_order")] == [4]
    # a quarantined version changes no dimension row (the batch emits only changed rows)
    assert g.processed_rows(settings, B2, "dim_staff") == []
    assert g.processed_rows(settings, B2, "dim_transaction") == []


def test_untypable_values_from_a_string_export(storage_root: str) -> None:
    settings = g.settings_for(storage_root)
    data = g.golden()
    g.write_batch(settings.raw_uri, B1, data, as_strings=True)
    transform.run(Session.of(settings))
    so, pay = data["sales_order"][0], data["payment"][0]
    at = "2024-03-02 08:00:00"
    bad = {
        "sales_order": [
            {**g.updated(so, at, unit_price="abc"), "sales_order_id": 80},
            {**g.updated(so, at), "sales_order_id": 81, "created_at": "yesterday"},
            {**g.updated(so, at), "sales_order_id": "x82"},
            {**g.updated(so, at), "sales_order_id": 83, "last_updated": None},
            {**g.updated(so, at), "sales_order_id": 84, "units_sold": ""},  # empty = missing
        ],
        "payment": [{**g.updated(pay, at, paid="maybe"), "payment_id": 85}],
        "design": [{**g.updated(data["design"][0], at, design_name=None), "design_id": 86}],
        "currency": [{**g.updated(data["currency"][0], at), "currency_id": 87}],  # valid
    }
    g.write_batch(settings.raw_uri, B2, bad, as_strings=True)

    result = transform.run(Session.of(settings))

    got = [(q["table_name"], q["key"], q["rule"], q["column_name"])
           for q in g.quarantined(settings, B2)]
    assert got == [
        ("design", "86", "missing_value", "design_name"),
        ("payment", "85", "invalid_value", "paid"),
        ("sales_order", "80", "invalid_value", "unit_price"),
        ("sales_order", "81", "invalid_date", "created_at"),
        ("sales_order", "x82", "invalid_key", "sales_order_id"),
        ("sales_order", "83", "invalid_key", "last_updated"),
        ("sales_order", "84", "missing_value", "units_sold"),
    ]
    assert (result.rows_in, result.rows_out, result.quarantined) == (8, 1, 7)
    assert [r[0] for r in g.processed_rows(settings, B2, "dim_currency")] == [87]  # the new one
