"""The processed zone: what the transform writes and the load reads, in one place.

Layout per transformed raw batch::

    <processed>/batches/<batch_id>/<table>.parquet   every table below, possibly empty
    <processed>/quarantine/<batch_id>.parquet        rows that broke a rule
    <processed>/batches/<batch_id>/_SUCCESS.json     written last: the batch is complete

Dimensions and aggregates are full snapshots as of the batch (the load upserts dimensions and
replaces aggregates); facts hold only the versions first delivered by the batch.
"""

from __future__ import annotations

from pipeline import storage

DIMENSIONS: tuple[str, ...] = (
    "dim_date", "dim_staff", "dim_location", "dim_design", "dim_currency",
    "dim_counterparty", "dim_payment_type", "dim_transaction",
)
FACTS: tuple[str, ...] = ("fact_sales_order", "fact_purchase_order", "fact_payment")
AGGREGATES: tuple[str, ...] = ("agg_sales_daily", "agg_purchases_monthly", "agg_payments_monthly")
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
