"""The processed zone: what the transform writes and the load reads, in one place.

Layout per transformed raw batch::

    <processed>/batches/<batch_id>/<table>.parquet   every table below, possibly empty
    <processed>/quarantine/<batch_id>.parquet        rows that broke a rule
    <processed>/batches/<batch_id>/_SUCCESS.json     written last: the batch is complete

Every output holds what the batch changed: the dimension rows whose values may have changed (an
id with a new latest version, or whose joined parent has one), the fact versions the batch
delivered first, the dates those use, and the aggregate groups whose values differ from the
previous batch's. A group that no longer has any order or payment comes with a zero count: the
load deletes it. So the load upserts dimensions by id, inserts facts, and replaces only the
affected aggregate groups; the first batch's outputs are therefore complete snapshots.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline import storage

DIMENSIONS: tuple[str, ...] = (
    "dim_date", "dim_staff", "dim_location", "dim_design", "dim_currency",
    "dim_counterparty", "dim_payment_type", "dim_transaction",
)
FACTS: tuple[str, ...] = ("fact_sales_order", "fact_purchase_order", "fact_payment")
AGGREGATES: tuple[str, ...] = ("agg_sales_daily", "agg_purchases_monthly", "agg_payments_monthly")


@dataclass(frozen=True)
class Aggregate:
    """An aggregate's grain (``keys``), values and their types; ``count`` is 0 for a group that
    is gone. ``source`` is the table it sums (latest versions), ``parents`` the (table, column)
    pairs its SQL joins for group keys: a changed parent moves that table's rows between
    groups."""

    keys: tuple[str, ...]
    values: tuple[tuple[str, str], ...]
    source: str
    parents: tuple[tuple[str, str], ...]

    @property
    def count(self) -> str:
        return self.values[0][0]



_N, _SUM = "BIGINT", "DECIMAL(14, 2)"
AGGREGATE_GRAIN: dict[str, Aggregate] = {
    "agg_sales_daily": Aggregate(
        ("sale_date", "design_id", "country", "currency_code"),
        (("orders", _N), ("units_sold", _N), ("revenue", _SUM)), "sales_order",
        (("address", "agreed_delivery_location_id"), ("currency", "currency_id"))),
    "agg_purchases_monthly": Aggregate(
        ("month", "counterparty_id", "currency_code"),
        (("orders", _N), ("item_quantity", _N), ("spend", _SUM)), "purchase_order",
        (("currency", "currency_id"),)),
    "agg_payments_monthly": Aggregate(
        ("month", "payment_type_name", "paid", "currency_code"),
        (("payments", _N), ("amount", _SUM)), "payment",
        (("payment_type", "payment_type_id"), ("currency", "currency_id"))),
}

# Per dimension: its id column and where changes come from: (source table, column of the
# dimension's own source table holding that table's id); None for the dimension's own table.
DIMENSION_SOURCES: dict[str, tuple[str, str, tuple[tuple[str, str | None], ...]]] = {
    "dim_staff": ("staff_id", "staff", (("staff", None), ("department", "department_id"))),
    "dim_location": ("location_id", "address", (("address", None),)),
    "dim_design": ("design_id", "design", (("design", None),)),
    "dim_currency": ("currency_id", "currency", (("currency", None),)),
    "dim_counterparty": ("counterparty_id", "counterparty",
                         (("counterparty", None), ("address", "legal_address_id"))),
    "dim_payment_type": ("payment_type_id", "payment_type", (("payment_type", None),)),
    "dim_transaction": ("transaction_id", "transaction", (("transaction", None),)),
}

# Load order: dimensions before the facts that point at them, aggregates last.
OUTPUT_TABLES: tuple[str, ...] = DIMENSIONS + FACTS + AGGREGATES

SUCCESS = "_SUCCESS.json"


def batch_dir(processed_uri: str, batch_id: str) -> str:
    return storage.join(processed_uri, "batches", batch_id)


def table_uri(processed_uri: str, batch_id: str, table: str) -> str:
    return storage.join(batch_dir(processed_uri, batch_id), f"{table}.parquet")


def quarantine_uri(processed_uri: str, batch_id: str) -> str:
    return storage.join(processed_uri, "quarantine", f"{batch_id}.parquet")


def success_uri(processed_uri: str, batch_id: str) -> str:
    return storage.join(batch_dir(processed_uri, batch_id), SUCCESS)


def completed_batches(processed_uri: str) -> list[str]:
    """Batch ids whose ``_SUCCESS.json`` exists, oldest first; anything else is unfinished."""
    root = storage.join(processed_uri, "batches")
    ids = [
        uri[len(root):].strip("/").split("/")[0]
        for uri in storage.list_files(root, suffix="/" + SUCCESS)
    ]
    return sorted(ids)
