"""A small hand-checked source dataset and helpers to write it as committed raw batches.

The raw layout is written here directly (Parquet + manifest), not through the ingest stage, so
the transform/load tests pin the raw-zone contract on their own.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg
import pyarrow as pa

from pipeline import storage

D = Decimal
T0 = datetime(2024, 1, 1, 8, 0, 0)


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _dim(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "created_at": T0, "last_updated": T0} for r in rows]


def _at(created: str, rows: dict[str, Any]) -> dict[str, Any]:
    return {**rows, "created_at": _ts(created), "last_updated": _ts(created)}


def golden() -> dict[str, list[dict[str, Any]]]:
    """The golden source: 3 sales orders, 3 purchase orders, 4 payments and their dimensions."""
    data: dict[str, list[dict[str, Any]]] = {
        "currency": _dim([
            {"currency_id": 1, "currency_code": "GBP"},
            {"currency_id": 2, "currency_code": "USD"},
            {"currency_id": 3, "currency_code": "EUR"},
        ]),
        "department": _dim([
            {"department_id": 1, "department_name": "Sales", "location": "Manchester",
             "manager": "Mia Ward"},
            {"department_id": 2, "department_name": "Purchasing", "location": "Leeds",
             "manager": None},
        ]),
        "address": _dim([
            {"address_id": 1, "address_line_1": "1 High Street", "address_line_2": None,
             "district": None, "city": "London", "postal_code": "E1 1AA",
             "country": "United Kingdom", "phone": "020 7946 0000"},
            {"address_id": 2, "address_line_1": "2 Main Street", "address_line_2": "Suite 4",
             "district": "Kings", "city": "New York", "postal_code": "10001",
             "country": "United States", "phone": "212 555 0100"},
        ]),
        "design": _dim([
            {"design_id": 1, "design_name": "Wooden Chair", "file_location": "/designs",
             "file_name": "wooden-chair.json"},
            {"design_id": 2, "design_name": "Steel Lamp", "file_location": "/designs",
             "file_name": "steel-lamp.json"},
        ]),
        "payment_type": _dim([
            {"payment_type_id": i, "payment_type_name": n} for i, n in enumerate(
                ["SALES_RECEIPT", "SALES_REFUND", "PURCHASE_PAYMENT", "PURCHASE_REFUND"], 1)
        ]),
        "staff": _dim([
            {"staff_id": 1, "first_name": "Ann", "last_name": "Lee", "department_id": 1,
             "email_address": "ann.lee@example.com"},
            {"staff_id": 2, "first_name": "Bob", "last_name": "Ray", "department_id": 2,
             "email_address": "bob.ray@example.com"},
        ]),
        "counterparty": _dim([
            {"counterparty_id": 1, "counterparty_legal_name": "Acme Ltd", "legal_address_id": 1,
             "commercial_contact": "Cat Pym", "delivery_contact": None},
            {"counterparty_id": 2, "counterparty_legal_name": "Globex Inc",
             "legal_address_id": 2, "commercial_contact": None, "delivery_contact": "Dan Orr"},
        ]),
        "sales_order": [
            _at("2024-01-02 09:15:00", sales_order(1, 1, 1, 10, "2.50", 1, "2024-01-10",
                                                   "2024-01-15", 1)),
            _at("2024-01-02 10:30:00", sales_order(2, 2, 2, 5, "4.00", 2, "2024-01-12",
                                                   "2024-01-20", 2)),
            _at("2024-02-05 14:00:00", sales_order(3, 1, 2, 3, "2.50", 1, "2024-02-10",
                                                   "2024-02-15", 1)),
        ],
        "purchase_order": [
            _at("2024-01-03 11:00:00", purchase_order(1, 1, "ITEM-A", 100, "1.10", 1,
                                                      "2024-01-08", "2024-01-25", 1)),
            _at("2024-01-20 16:45:00", purchase_order(2, 2, "ITEM-B", 20, "5.00", 2,
                                                      "2024-01-22", "2024-02-01", 2)),
            _at("2024-02-02 09:00:00", purchase_order(3, 1, "ITEM-C", 10, "0.50", 1,
                                                      "2024-02-08", "2024-02-29", 1)),
        ],
        "transaction": _dim([
            {"transaction_id": 1, "transaction_type": "SALE", "sales_order_id": 1,
             "purchase_order_id": None},
            {"transaction_id": 2, "transaction_type": "SALE", "sales_order_id": 2,
             "purchase_order_id": None},
            {"transaction_id": 3, "transaction_type": "PURCHASE", "sales_order_id": None,
             "purchase_order_id": 1},
            {"transaction_id": 4, "transaction_type": "PURCHASE", "sales_order_id": None,
             "purchase_order_id": 2},
        ]),
        "payment": [
            _at("2024-01-15 12:00:00", payment(1, 1, 1, "25.00", 1, 1, True, "2024-01-15")),
            _at("2024-01-16 12:00:00", payment(2, 2, 2, "20.00", 2, 1, False, "2024-01-20")),
            _at("2024-01-25 08:30:00", payment(3, 3, 1, "110.00", 1, 3, True, "2024-01-25")),
            _at("2024-01-26 08:30:00", payment(4, 4, 2, "100.00", 2, 3, False, "2024-02-01")),
        ],
    }
    return data


def sales_order(oid: int, design: int, cp: int, units: int, price: str, cur: int,
                delivery: str, pay: str, loc: int, staff: int = 1) -> dict[str, Any]:
    return {"sales_order_id": oid, "design_id": design, "staff_id": staff,
            "counterparty_id": cp, "units_sold": units, "unit_price": D(price),
            "currency_id": cur, "agreed_delivery_date": delivery, "agreed_payment_date": pay,
            "agreed_delivery_location_id": loc}


def purchase_order(oid: int, cp: int, item: str, qty: int, price: str, cur: int,
                   delivery: str, pay: str, loc: int, staff: int = 2) -> dict[str, Any]:
    return {"purchase_order_id": oid, "staff_id": staff, "counterparty_id": cp,
            "item_code": item, "item_quantity": qty, "item_unit_price": D(price),
            "currency_id": cur, "agreed_delivery_date": delivery, "agreed_payment_date": pay,
            "agreed_delivery_location_id": loc}


def payment(pid: int, tx: int, cp: int, amount: str, cur: int, ptype: int, paid: bool,
            date: str) -> dict[str, Any]:
    return {"payment_id": pid, "transaction_id": tx, "counterparty_id": cp,
            "payment_amount": D(amount), "currency_id": cur, "payment_type_id": ptype,
            "paid": paid, "payment_date": date, "company_ac_number": 11111111,
            "counterparty_ac_number": 22222222}


def updated(row: dict[str, Any], at: str, **changes: Any) -> dict[str, Any]:
    """A new source version of ``row``: values changed in place, ``last_updated`` moved on."""
    out = copy.deepcopy(row)
    out.update(changes)
    out["last_updated"] = _ts(at)
    return out


def _stringify(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_batch(raw_uri: str, batch_id: str, tables: dict[str, list[dict[str, Any]]], *,
                as_strings: bool = False, commit: bool = True) -> dict[str, Any]:
    """Write one raw batch in ingest's layout; ``commit=False`` leaves out the manifest."""
    manifest: dict[str, Any] = {"batch_id": batch_id, "created_at": "2024-03-01T00:00:00Z",
                                "source": "test", "tables": {}}
    for name, rows in tables.items():
        if as_strings:
            rows = [{k: _stringify(v) for k, v in r.items()} for r in rows]
        table = pa.Table.from_pylist(rows)
        uri = storage.join(raw_uri, name, f"batch={batch_id}", "part-0000.parquet")
        storage.write_parquet(uri, table)
        manifest["tables"][name] = {"files": [uri], "rows": table.num_rows}
    if commit:
        storage.write_json(storage.join(raw_uri, "_batches", f"{batch_id}.json"), manifest)
    return manifest


WAREHOUSE_TABLES: tuple[str, ...] = (
    "dim_date", "dim_staff", "dim_location", "dim_design", "dim_currency", "dim_counterparty",
    "dim_payment_type", "dim_transaction", "fact_sales_order", "fact_purchase_order",
    "fact_payment", "agg_sales_daily", "agg_purchases_monthly", "agg_payments_monthly",
)


def checksums(url: str) -> dict[str, tuple[int, str]]:
    """(row count, md5 of all rows in a total order) per warehouse table."""
    out: dict[str, tuple[int, str]] = {}
    with psycopg.connect(url) as conn:
        for table in WAREHOUSE_TABLES:
            rows = conn.execute(
                f"SELECT t::text FROM warehouse.{table} AS t ORDER BY t::text").fetchall()
            digest = hashlib.md5("\n".join(r[0] for r in rows).encode()).hexdigest()
            out[table] = (len(rows), digest)
    return out


def fetch(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()
