"""Deterministic synthetic OLTP data: same ``seed`` and ``orders``, same rows, every time.

Orders, purchases, their transactions and payments are generated in fixed-size chunks, each
from its own seeded stream, so 10M orders never sit in memory at once and the rows do not
depend on anything but (seed, orders). Everything is vectorised (numpy draws, Arrow kernels)
and goes to PostgreSQL with COPY.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.source import dbcopy, reference, synth, vocab
from pipeline.source.reference import Plan

CHUNK_ORDERS = 200_000
FIRST_ORDER = datetime(2023, 1, 1)
SPAN_DAYS = 700  # orders span ~2 years ending before 2025, so any later edit is "newer"
_ITEM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_CURRENCY_WEIGHTS = [w for _, w in vocab.CURRENCIES]


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


def order_chunk(rng: np.random.Generator, plan: Plan, first_order_id: int, n_sales: int,
                first_purchase_id: int, n_purchases: int, first_tx_id: int,
                start_us: int, end_us: int) -> dict[str, pa.Table]:
    """Sales orders, purchase orders, one transaction per order and one payment per transaction.

    Orders are created between ``start_us`` and ``end_us`` in id order, as a real OLTP system
    would; a third of them are edited later (last_updated moves up to two weeks on).
    """
    def created(n: int) -> np.ndarray:
        return np.sort(rng.integers(start_us, end_us, n))

    def updated(c: np.ndarray) -> np.ndarray:
        edit = rng.random(len(c)) < 0.3
        return c + np.where(edit, rng.integers(0, 14 * synth.US_PER_DAY, len(c)), 0)

    s_created, p_created = created(n_sales), created(n_purchases)
    s_units = rng.integers(100, 50_000, n_sales)
    s_cents = rng.integers(200, 400, n_sales)
    s_counterparty = rng.integers(1, plan.counterparties + 1, n_sales)
    s_currency = rng.choice(len(_CURRENCY_WEIGHTS), n_sales, p=_CURRENCY_WEIGHTS) + 1
    s_pay_us = s_created + rng.integers(1, 31, n_sales) * synth.US_PER_DAY
    s_lu = updated(s_created)
    sales = pa.table({
        "sales_order_id": synth.ints(np.arange(first_order_id, first_order_id + n_sales)),
        "design_id": synth.ints(rng.integers(1, plan.designs + 1, n_sales)),
        "staff_id": synth.ints(rng.integers(1, plan.staff + 1, n_sales)),
        "counterparty_id": synth.ints(s_counterparty),
        "units_sold": synth.ints(s_units),
        "unit_price": synth.money(s_cents),
        "currency_id": synth.ints(s_currency),
        "agreed_delivery_date": synth.date_strings(
            s_created + rng.integers(2, 15, n_sales) * synth.US_PER_DAY),
        "agreed_payment_date": synth.date_strings(s_pay_us),
        "agreed_delivery_location_id": synth.ints(rng.integers(1, plan.addresses + 1, n_sales)),
        "created_at": synth.timestamps(s_created), "last_updated": synth.timestamps(s_lu)})

    p_qty = rng.integers(1, 1_000, n_purchases)
    p_cents = rng.integers(100, 100_000, n_purchases)
    p_counterparty = rng.integers(1, plan.counterparties + 1, n_purchases)
    p_currency = rng.choice(len(_CURRENCY_WEIGHTS), n_purchases, p=_CURRENCY_WEIGHTS) + 1
    p_pay_us = p_created + rng.integers(1, 61, n_purchases) * synth.US_PER_DAY
    p_lu = updated(p_created)
    purchases = pa.table({
        "purchase_order_id": synth.ints(
            np.arange(first_purchase_id, first_purchase_id + n_purchases)),
        "staff_id": synth.ints(rng.integers(1, plan.staff + 1, n_purchases)),
        "counterparty_id": synth.ints(p_counterparty),
        "item_code": synth.code(rng, n_purchases, 7, _ITEM_ALPHABET),
        "item_quantity": synth.ints(p_qty),
        "item_unit_price": synth.money(p_cents),
        "currency_id": synth.ints(p_currency),
        "agreed_delivery_date": synth.date_strings(
            p_created + rng.integers(3, 30, n_purchases) * synth.US_PER_DAY),
        "agreed_payment_date": synth.date_strings(p_pay_us),
        "agreed_delivery_location_id": synth.ints(
            rng.integers(1, plan.addresses + 1, n_purchases)),
        "created_at": synth.timestamps(p_created), "last_updated": synth.timestamps(p_lu)})

    n_tx = n_sales + n_purchases
    tx_ids = np.arange(first_tx_id, first_tx_id + n_tx)
    is_sale = np.arange(n_tx) < n_sales
    tx_created = np.concatenate([s_created, p_created]) + rng.integers(
        1, 3_600 * synth.US_PER_SECOND, n_tx)
    sales_ids = np.arange(first_order_id, first_order_id + n_sales)
    purchase_ids = np.arange(first_purchase_id, first_purchase_id + n_purchases)
    transactions = pa.table({
        "transaction_id": synth.ints(tx_ids),
        "transaction_type": pc.if_else(pa.array(is_sale), "SALE", "PURCHASE"),
        "sales_order_id": pa.array(np.concatenate([sales_ids, np.zeros(n_purchases, int)]),
                                   type=pa.int32(), mask=~is_sale),
        "purchase_order_id": pa.array(np.concatenate([np.zeros(n_sales, int), purchase_ids]),
                                      type=pa.int32(), mask=is_sale),
        "created_at": synth.timestamps(tx_created), "last_updated": synth.timestamps(tx_created)})

    refund = rng.random(n_tx) < 0.05
    paid = rng.random(n_tx) < 0.8
    pay_type = np.where(is_sale, 1, 3) + refund  # 1/2 sales receipt/refund, 3/4 purchase
    pay_created = tx_created + rng.integers(1, 600 * synth.US_PER_SECOND, n_tx)
    pay_lu = pay_created + np.where(paid, rng.integers(0, 20 * synth.US_PER_DAY, n_tx), 0)
    payments = pa.table({
        "payment_id": synth.ints(tx_ids),
        "transaction_id": synth.ints(tx_ids),
        "counterparty_id": synth.ints(np.concatenate([s_counterparty, p_counterparty])),
        "payment_amount": synth.money(np.concatenate([s_units * s_cents, p_qty * p_cents])),
        "currency_id": synth.ints(np.concatenate([s_currency, p_currency])),
        "payment_type_id": synth.ints(pay_type),
        "paid": pa.array(paid),
        "payment_date": synth.date_strings(np.concatenate([s_pay_us, p_pay_us])),
        "company_ac_number": synth.ints(rng.integers(10_000_000, 10_000_010, n_tx)),
        "counterparty_ac_number": synth.ints(rng.integers(10_000_000, 99_999_999, n_tx)),
        "created_at": synth.timestamps(pay_created), "last_updated": synth.timestamps(pay_lu)})
    return {"sales_order": sales, "purchase_order": purchases, "transaction": transactions,
            "payment": payments}


def generate_tables(seed: int, orders: int) -> Iterator[dict[str, pa.Table]]:
    """The whole source as a stream of table groups: reference tables first, then order chunks."""
    if orders < 1:
        raise ValueError(f"orders must be at least 1, got {orders}")
    plan = Plan.for_orders(orders)
    start = synth.epoch_us(FIRST_ORDER)
    yield reference.build(_rng(seed, 0), plan, start)
    span = SPAN_DAYS * synth.US_PER_DAY
    n_chunks = -(-orders // CHUNK_ORDERS)
    purchase_id, tx_id = 1, 1
    for k in range(n_chunks):
        lo, hi = k * CHUNK_ORDERS, min(orders, (k + 1) * CHUNK_ORDERS)
        n_purchases = plan.purchases * hi // orders - plan.purchases * lo // orders
        chunk = order_chunk(_rng(seed, 1, k), plan, lo + 1, hi - lo, purchase_id, n_purchases,
                            tx_id, start + span * lo // orders, start + span * hi // orders)
        purchase_id += n_purchases
        tx_id += hi - lo + n_purchases
        yield chunk


def generate(conn: psycopg.Connection, seed: int, orders: int, *,
             on_rows: Callable[[int], None] | None = None) -> dict[str, int]:
    """(Re)create the 11 source tables and fill them; returns rows per table.

    Commits once at the end, so a failed seed leaves the previous database state.
    """
    counts: dict[str, int] = {}
    dbcopy.recreate_schema(conn)
    for group in generate_tables(seed, orders):
        for name, data in group.items():
            counts[name] = counts.get(name, 0) + dbcopy.copy_in(conn, name, data)
            if on_rows is not None:
                on_rows(data.num_rows)
    dbcopy.index_last_updated(conn)
    conn.commit()
    return counts
