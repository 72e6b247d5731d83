"""Changes to an existing source between two pipeline runs: the demo's "a day later".

``mutate`` edits rows in place (moving ``last_updated`` forward, as the OLTP application does)
and appends new orders with their transactions and payments, so the second run shows
incremental ingest and fact history. ``insert_rule_breakers`` is the opt-in way to add the few
bad rows the quarantine exists for.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import psycopg
import pyarrow as pa
from psycopg import sql

from pipeline.source import dbcopy, synth
from pipeline.source.generator import order_chunk
from pipeline.source.reference import Plan
from pipeline.source.tables import TABLE_NAMES


def _change_time(conn: psycopg.Connection, now: datetime | None) -> datetime:
    """A moment later than every existing last_updated, so each change is seen as new."""
    wall = now or datetime.now(UTC).replace(tzinfo=None)
    latest = conn.execute(sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT max(last_updated) FROM {}").format(sql.Identifier(t))
        for t in TABLE_NAMES)).fetchall()
    newest = max((r[0] for r in latest if r[0] is not None), default=wall)
    return max(wall, newest + timedelta(milliseconds=1))


def _max_id(conn: psycopg.Connection, table: str, key: str) -> int:
    row = conn.execute(sql.SQL("SELECT coalesce(max({}), 0) FROM {}").format(
        sql.Identifier(key), sql.Identifier(table))).fetchone()
    return int(row[0]) if row else 0


def _update(conn: psycopg.Connection, table: str, key: str, changes: pa.Table) -> int:
    """Apply per-row changes (key + new values) with one COPY into a temp table and one UPDATE."""
    tmp = f"_mutate_{table}"
    cols = [c for c in changes.column_names if c != key]
    with conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS "
                            "SELECT {} FROM {} LIMIT 0").format(
            sql.Identifier(tmp), sql.SQL(", ").join(map(sql.Identifier, changes.column_names)),
            sql.Identifier(table)))
    dbcopy.copy_in(conn, tmp, changes)
    assignments = sql.SQL(", ").join(
        sql.SQL("{0} = s.{0}").format(sql.Identifier(c)) for c in cols)
    cur = conn.execute(sql.SQL("UPDATE {} AS t SET {} FROM {} AS s WHERE t.{} = s.{}").format(
        sql.Identifier(table), assignments, sql.Identifier(tmp), sql.Identifier(key),
        sql.Identifier(key)))
    return cur.rowcount


def mutate(conn: psycopg.Connection, seed: int, *, update_fraction: float = 0.05,
           new_orders: int | None = None, now: datetime | None = None) -> dict[str, int]:
    """Update some orders, payments and addresses in place and append new orders; commits.

    Returns the number of rows changed or added per table. Deterministic for a given ``seed``
    and database state, apart from the wall-clock ``now`` (pass it to pin the timestamps).
    """
    rng = np.random.default_rng([seed, 2])
    at = synth.epoch_us(_change_time(conn, now))
    n_orders = _max_id(conn, "sales_order", "sales_order_id")
    n_payments = _max_id(conn, "payment", "payment_id")
    changed: dict[str, int] = {}

    k = max(1, int(n_orders * update_fraction))
    fresh = new_orders if new_orders is not None else k
    ids = np.sort(rng.choice(n_orders, size=min(k, n_orders), replace=False) + 1)
    changed["sales_order"] = _update(conn, "sales_order", "sales_order_id", pa.table({
        "sales_order_id": synth.ints(ids),
        "units_sold": synth.ints(rng.integers(100, 50_000, len(ids))),
        "last_updated": synth.timestamps(at + np.arange(len(ids)))}))
    k = max(1, int(n_payments * update_fraction))
    ids = np.sort(rng.choice(n_payments, size=min(k, n_payments), replace=False) + 1)
    changed["payment"] = _update(conn, "payment", "payment_id", pa.table({
        "payment_id": synth.ints(ids), "paid": pa.array(np.ones(len(ids), dtype=bool)),
        "last_updated": synth.timestamps(at + np.arange(len(ids)))}))
    n_addresses = _max_id(conn, "address", "address_id")
    ids = np.sort(rng.choice(n_addresses, size=min(3, n_addresses), replace=False) + 1)
    changed["address"] = _update(conn, "address", "address_id", pa.table({
        "address_id": synth.ints(ids),
        "phone": synth.concat("+44 161 ", synth.text(rng.integers(100, 1000, len(ids))), " ",
                              synth.text(rng.integers(0, 10_000, len(ids)), 4)),
        "last_updated": synth.timestamps(at + np.arange(len(ids)))}))

    added = _append_orders(conn, rng, at, fresh)
    for name, n in added.items():
        changed[name] = changed.get(name, 0) + n
    conn.commit()
    return changed


def _append_orders(conn: psycopg.Connection, rng: np.random.Generator, at: int,
                   n_sales: int) -> dict[str, int]:
    """New orders, transactions and payments, all created at the change time."""
    if n_sales <= 0:
        return {}
    plan = Plan(orders=n_sales, purchases=max(1, n_sales // 2),
                staff=_max_id(conn, "staff", "staff_id"),
                addresses=_max_id(conn, "address", "address_id"),
                counterparties=_max_id(conn, "counterparty", "counterparty_id"),
                designs=_max_id(conn, "design", "design_id"))
    chunk = order_chunk(rng, plan, _max_id(conn, "sales_order", "sales_order_id") + 1, n_sales,
                        _max_id(conn, "purchase_order", "purchase_order_id") + 1,
                        plan.purchases, _max_id(conn, "transaction", "transaction_id") + 1,
                        at, at + 1)
    added: dict[str, int] = {}
    for name, data in chunk.items():
        # Everything new is stamped at the change time: no row may claim a future edit.
        stamp = synth.timestamps(at + np.arange(data.num_rows))
        data = data.set_column(data.column_names.index("created_at"), "created_at", stamp)
        data = data.set_column(data.column_names.index("last_updated"), "last_updated", stamp)
        added[name] = dbcopy.copy_in(conn, name, data)
    return added


def insert_rule_breakers(conn: psycopg.Connection, now: datetime | None = None) -> dict[str, int]:
    """Add five rows that break the warehouse rules (opt-in, to show the quarantine); commits.

    A delivery date that is not a date, a negative quantity, a negative price, an order for a
    design that never existed and a payment for a transaction that never existed.
    """
    at = _change_time(conn, now)
    so = _max_id(conn, "sales_order", "sales_order_id")
    po = _max_id(conn, "purchase_order", "purchase_order_id")
    pay = _max_id(conn, "payment", "payment_id")
    sales = [(so + 1, 1, "2024-02-30", 100, "3.10"), (so + 2, 1, "2024-03-01", -5, "3.10"),
             (so + 3, 99_999_999, "2024-03-02", 250, "2.95")]
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO sales_order VALUES (%s, %s, 1, 1, %s, %s, 1, %s, '2024-03-15', 1, %s, %s)",
            [(i, design, units, price, day, at, at) for i, design, day, units, price in sales])
        cur.execute(
            "INSERT INTO purchase_order VALUES (%s, 1, 1, 'NEG0001', 10, -12.50, 1, '2024-03-01',"
            " '2024-03-20', 1, %s, %s)", (po + 1, at, at))
        cur.execute(
            "INSERT INTO payment VALUES (%s, 999999999, 1, 100.00, 1, 1, false, '2024-03-10',"
            " 10000001, 12345678, %s, %s)", (pay + 1, at, at))
    conn.commit()
    return {"sales_order": len(sales), "purchase_order": 1, "payment": 1}
