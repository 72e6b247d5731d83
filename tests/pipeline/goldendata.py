"""A small hand-checked source dataset and helpers to write it as committed raw batches.

The raw layout is written here directly (Parquet + manifest), not through the ingest stage, so
the transform/load tests pin the raw-zone contract on their own.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import psycopg
import pyarrow as pa

from pipeline import storage
from pipeline.settings import Settings, SourceKind
from pipeline.transform import outputs

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


# ---------------------------------------------------------------------------------------------
# The expected star schema and aggregates of ``golden()``, worked out by hand from the rows
# above (2024-01-01 is a Monday; 2024 is a leap year). Rows are in key order, columns in
# WAREHOUSE.md order; fact record ids are left out here (the load tests add them).
# ---------------------------------------------------------------------------------------------
def _d(text: str) -> date:
    return date.fromisoformat(text)


def _t(text: str) -> time:
    return time.fromisoformat(text)


_JAN, _FEB = ("January", 1), ("February", 2)
EXPECTED_DIM_DATE = [
    (_d(f"2024-{m:02d}-{day:02d}"), 2024, m, day, dow, name, month_name, 1)
    for (month_name, m), day, dow, name in [
        (_JAN, 2, 2, "Tuesday"), (_JAN, 3, 3, "Wednesday"), (_JAN, 8, 1, "Monday"),
        (_JAN, 10, 3, "Wednesday"), (_JAN, 12, 5, "Friday"), (_JAN, 15, 1, "Monday"),
        (_JAN, 16, 2, "Tuesday"), (_JAN, 20, 6, "Saturday"), (_JAN, 22, 1, "Monday"),
        (_JAN, 25, 4, "Thursday"), (_JAN, 26, 5, "Friday"), (_FEB, 1, 4, "Thursday"),
        (_FEB, 2, 5, "Friday"), (_FEB, 5, 1, "Monday"), (_FEB, 8, 4, "Thursday"),
        (_FEB, 10, 6, "Saturday"), (_FEB, 15, 4, "Thursday"), (_FEB, 29, 4, "Thursday"),
    ]
]
EXPECTED: dict[str, list[tuple[Any, ...]]] = {
    "dim_date": EXPECTED_DIM_DATE,
    "dim_staff": [
        (1, "Ann", "Lee", "Sales", "Manchester", "ann.lee@example.com"),
        (2, "Bob", "Ray", "Purchasing", "Leeds", "bob.ray@example.com"),
    ],
    "dim_location": [
        (1, "1 High Street", None, None, "London", "E1 1AA", "United Kingdom", "020 7946 0000"),
        (2, "2 Main Street", "Suite 4", "Kings", "New York", "10001", "United States",
         "212 555 0100"),
    ],
    "dim_design": [
        (1, "Wooden Chair", "/designs", "wooden-chair.json"),
        (2, "Steel Lamp", "/designs", "steel-lamp.json"),
    ],
    "dim_currency": [(1, "GBP", "Pound Sterling"), (2, "USD", "US Dollar"), (3, "EUR", "Euro")],
    "dim_counterparty": [
        (1, "Acme Ltd", "1 High Street", None, None, "London", "E1 1AA", "United Kingdom",
         "020 7946 0000"),
        (2, "Globex Inc", "2 Main Street", "Suite 4", "Kings", "New York", "10001",
         "United States", "212 555 0100"),
    ],
    "dim_payment_type": [(1, "SALES_RECEIPT"), (2, "SALES_REFUND"), (3, "PURCHASE_PAYMENT"),
                         (4, "PURCHASE_REFUND")],
    "dim_transaction": [(1, "SALE", 1, None), (2, "SALE", 2, None), (3, "PURCHASE", None, 1),
                        (4, "PURCHASE", None, 2)],
    "fact_sales_order": [
        (1, _d("2024-01-02"), _t("09:15"), _d("2024-01-02"), _t("09:15"), 1, 1, 10, D("2.50"),
         1, 1, _d("2024-01-15"), _d("2024-01-10"), 1),
        (2, _d("2024-01-02"), _t("10:30"), _d("2024-01-02"), _t("10:30"), 1, 2, 5, D("4.00"),
         2, 2, _d("2024-01-20"), _d("2024-01-12"), 2),
        (3, _d("2024-02-05"), _t("14:00"), _d("2024-02-05"), _t("14:00"), 1, 2, 3, D("2.50"),
         1, 1, _d("2024-02-15"), _d("2024-02-10"), 1),
    ],
    "fact_purchase_order": [
        (1, _d("2024-01-03"), _t("11:00"), _d("2024-01-03"), _t("11:00"), 2, 1, "ITEM-A", 100,
         D("1.10"), 1, _d("2024-01-08"), _d("2024-01-25"), 1),
        (2, _d("2024-01-20"), _t("16:45"), _d("2024-01-20"), _t("16:45"), 2, 2, "ITEM-B", 20,
         D("5.00"), 2, _d("2024-01-22"), _d("2024-02-01"), 2),
        (3, _d("2024-02-02"), _t("09:00"), _d("2024-02-02"), _t("09:00"), 2, 1, "ITEM-C", 10,
         D("0.50"), 1, _d("2024-02-08"), _d("2024-02-29"), 1),
    ],
    "fact_payment": [
        (1, _d("2024-01-15"), _t("12:00"), _d("2024-01-15"), _t("12:00"), 1, 1, D("25.00"), 1,
         1, True, _d("2024-01-15")),
        (2, _d("2024-01-16"), _t("12:00"), _d("2024-01-16"), _t("12:00"), 2, 2, D("20.00"), 2,
         1, False, _d("2024-01-20")),
        (3, _d("2024-01-25"), _t("08:30"), _d("2024-01-25"), _t("08:30"), 3, 1, D("110.00"), 1,
         3, True, _d("2024-01-25")),
        (4, _d("2024-01-26"), _t("08:30"), _d("2024-01-26"), _t("08:30"), 4, 2, D("100.00"), 2,
         3, False, _d("2024-02-01")),
    ],
    # 10 x 2.50 = 25.00; 5 x 4.00 = 20.00; 3 x 2.50 = 7.50
    "agg_sales_daily": [
        (_d("2024-01-02"), 1, "United Kingdom", "GBP", 1, 10, D("25.00")),
        (_d("2024-01-02"), 2, "United States", "USD", 1, 5, D("20.00")),
        (_d("2024-02-05"), 1, "United Kingdom", "GBP", 1, 3, D("7.50")),
    ],
    # 100 x 1.10 = 110.00; 20 x 5.00 = 100.00; 10 x 0.50 = 5.00
    "agg_purchases_monthly": [
        (_d("2024-01-01"), 1, "GBP", 1, 100, D("110.00")),
        (_d("2024-01-01"), 2, "USD", 1, 20, D("100.00")),
        (_d("2024-02-01"), 1, "GBP", 1, 10, D("5.00")),
    ],
    "agg_payments_monthly": [
        (_d("2024-01-01"), "PURCHASE_PAYMENT", True, "GBP", 1, D("110.00")),
        (_d("2024-01-01"), "SALES_RECEIPT", False, "USD", 1, D("20.00")),
        (_d("2024-01-01"), "SALES_RECEIPT", True, "GBP", 1, D("25.00")),
        (_d("2024-02-01"), "PURCHASE_PAYMENT", False, "USD", 1, D("100.00")),
    ],
}


# Every dimension and fact row of the watermark source is live (is_deleted false), and a fact
# version has no change position (change_lsn, change_ordinal NULL): WAREHOUSE.md, "Deletes and
# every version".
for _name, _rows in EXPECTED.items():
    if _name.startswith("dim_"):
        EXPECTED[_name] = [(*r, False) for r in _rows]
    elif _name.startswith("fact_"):
        EXPECTED[_name] = [(*r, False, None, None) for r in _rows]


def settings_for(root: str) -> Settings:
    """Settings with the raw and processed zones under one test 'bucket'."""
    return Settings(source=SourceKind.POSTGRES, source_url=None, landing_uri=None,
                    raw_uri=storage.join(root, "raw"),
                    processed_uri=storage.join(root, "processed"), warehouse=None)


def processed_rows(settings: Settings, batch_id: str, table: str) -> list[tuple[Any, ...]]:
    """A processed table as tuples, in file order."""
    data = storage.read_parquet(outputs.table_uri(settings.processed_uri, batch_id, table))
    return [tuple(r.values()) for r in data.to_pylist()]


def quarantined(settings: Settings, batch_id: str) -> list[dict[str, Any]]:
    return storage.read_parquet(
        outputs.quarantine_uri(settings.processed_uri, batch_id)).to_pylist()


def with_record_ids(table: str) -> list[tuple[Any, ...]]:
    """The expected warehouse rows: facts get record ids 1..n in (natural id, version) order."""
    rows = EXPECTED[table]
    if table.startswith("fact_"):
        return [(i, *r) for i, r in enumerate(rows, 1)]
    return rows


def history_batch(data: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Batch 2 of the history scenario: order 1 updated, design 1 renamed, order 2 re-read."""
    return {
        "sales_order": [
            updated(data["sales_order"][0], "2024-03-01 10:00:00", units_sold=12),
            data["sales_order"][1],
        ],
        "design": [updated(data["design"][0], "2024-03-01 09:00:00", design_name="Oak Chair")],
        "payment": [updated(data["payment"][1], "2024-03-01 11:00:00", paid=True)],
    }
