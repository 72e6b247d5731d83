"""Aggregates recomputed from the facts, to hold the maintained ones against.

WAREHOUSE.md: aggregates use the latest version of each order or payment and leave out those
whose latest version is deleted. Which version is the latest depends on how versions are
identified: by commit position (``BY_COMMIT``, the cdc source) or, for watermark versions
(no change position, never deleted), by ``last_updated`` (``BY_LAST_UPDATED``). Each query
returns rows in the aggregate's column order, sorted on its grain.
"""

from __future__ import annotations

from typing import Any

from tests.pipeline import goldendata as g

BY_COMMIT = "change_lsn DESC, change_ordinal DESC"
BY_LAST_UPDATED = "last_updated_date DESC, last_updated_time DESC"


def sales_daily(latest: str = BY_COMMIT) -> str:
    """agg_sales_daily from each order's latest fact version, ``latest`` ordering them."""
    return f"""
        WITH latest AS (
            SELECT DISTINCT ON (sales_order_id) * FROM warehouse.fact_sales_order
            ORDER BY sales_order_id, {latest})
        SELECT l.created_date, l.design_id, loc.country, c.currency_code, count(*)::int,
               sum(l.units_sold)::bigint, sum(l.units_sold * l.unit_price)::numeric(14, 2)
        FROM latest l
        JOIN warehouse.dim_location loc ON loc.location_id = l.agreed_delivery_location_id
        JOIN warehouse.dim_currency c ON c.currency_id = l.currency_id
        WHERE NOT l.is_deleted
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"""


def payments_monthly(latest: str = BY_COMMIT) -> str:
    """agg_payments_monthly from each payment's latest fact version."""
    return f"""
        WITH latest AS (
            SELECT DISTINCT ON (payment_id) * FROM warehouse.fact_payment
            ORDER BY payment_id, {latest})
        SELECT date_trunc('month', l.payment_date)::date, t.payment_type_name, l.paid,
               c.currency_code, count(*)::int, sum(l.payment_amount)
        FROM latest l
        JOIN warehouse.dim_payment_type t ON t.payment_type_id = l.payment_type_id
        JOIN warehouse.dim_currency c ON c.currency_id = l.currency_id
        WHERE NOT l.is_deleted
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"""


Rows = dict[str, list[tuple[Any, ...]]]


def kept_and_recomputed(url: str, latest: str = BY_COMMIT) -> tuple[Rows, Rows]:
    """The sales and payments aggregates as the warehouse holds them, and as recomputed from
    the latest fact versions: a test asserts the two are equal (and sees the difference)."""
    recomputed = {"agg_sales_daily": sales_daily(latest),
                  "agg_payments_monthly": payments_monthly(latest)}
    kept = {name: g.fetch(url, f"SELECT * FROM warehouse.{name} ORDER BY 1, 2, 3, 4")
            for name in recomputed}
    return kept, {name: g.fetch(url, query) for name, query in recomputed.items()}
