"""Random batch sequences over the golden source, for the incremental-equals-from-scratch tests.

A sequence starts with the golden batch; each later batch applies random changes: order
versions (some rule-breaking, some referencing a design that exists only once a batch creates
it), late versions with an old ``last_updated``, renamed designs, moved addresses, renamed
departments, paid payments, and re-deliveries of earlier versions (the ingest overlap).
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from tests.pipeline import goldendata as g

Op = tuple[Any, ...]
Batch = dict[str, list[dict[str, Any]]]

_ops = st.one_of(
    st.tuples(st.just("order"), st.integers(1, 6), st.integers(-1, 20),
              st.sampled_from([1, 2, 3]), st.sampled_from([1, 2]), st.sampled_from([1, 2])),
    st.tuples(st.just("late"), st.integers(1, 6), st.integers(0, 20)),
    st.tuples(st.just("design"), st.integers(1, 3), st.sampled_from(["Oak", "Pine", "Elm"])),
    st.tuples(st.just("address"), st.integers(1, 2),
              st.sampled_from(["United Kingdom", "France", "Spain"])),
    st.tuples(st.just("department"), st.integers(1, 2), st.sampled_from(["Sales", "Ops"])),
    st.tuples(st.just("payment"), st.integers(1, 4), st.booleans(),
              st.sampled_from(["5.00", "25.00", "-1.00"])),
    st.tuples(st.just("replay"), st.integers(0, 10_000)),
)
SEQUENCES = st.lists(st.lists(_ops, max_size=6), min_size=1, max_size=6)

_KEYS = {"sales_order": "sales_order_id", "design": "design_id", "address": "address_id",
         "department": "department_id", "payment": "payment_id"}


def batches(sequence: list[list[Op]]) -> list[Batch]:
    """The golden batch, then one batch per list of operations, as raw table rows."""
    data = g.golden()
    latest: dict[tuple[str, int], dict[str, Any]] = {
        (t, r[_KEYS[t]]): r for t, rows in data.items() if t in _KEYS for r in rows}
    emitted: list[tuple[str, dict[str, Any]]] = [
        (t, r) for t, rows in data.items() for r in rows]
    out: list[Batch] = [data]
    for day, ops in enumerate(sequence, start=1):
        batch: Batch = {}
        for n, op in enumerate(ops):
            at = datetime(2024, 3, day, 8, 0, 0) + timedelta(minutes=n)
            table, row = _apply(op, latest, emitted, at)
            if row is None:
                continue
            batch.setdefault(table, []).append(row)
            emitted.append((table, row))
        out.append(batch)
    return out


def _apply(op: Op, latest: dict[tuple[str, int], dict[str, Any]],
           emitted: list[tuple[str, dict[str, Any]]],
           at: datetime) -> tuple[str, dict[str, Any] | None]:
    kind = op[0]
    if kind == "replay":
        table, row = emitted[op[1] % len(emitted)]
        return table, copy.deepcopy(row)
    if kind in ("order", "late"):
        oid = op[1]
        base = latest.get(("sales_order", oid))
        if base is None:
            base = {**g.golden()["sales_order"][0], "sales_order_id": oid, "created_at": at}
        if kind == "late":  # a version older than anything after the golden batch
            row = g.updated(base, f"2024-02-20 00:00:{op[2]:02d}")
            return "sales_order", row
        row = g.updated(base, str(at), units_sold=op[2], design_id=op[3],
                        agreed_delivery_location_id=op[4], currency_id=op[5])
        if op[2] >= 0:
            latest[("sales_order", oid)] = row
        return "sales_order", row
    table, column = {"design": ("design", "design_name"), "address": ("address", "country"),
                     "department": ("department", "department_name")}.get(
                         kind, ("payment", "paid"))
    key = (table, op[1])
    base = latest.get(key)
    if base is None:
        if table != "design":
            return table, None
        base = {**g.golden()["design"][0], "design_id": op[1], "created_at": at}
    if table == "payment":
        row = g.updated(base, str(at), paid=op[2], payment_amount=g.D(op[3]))
        if op[3][0] != "-":
            latest[key] = row
        return table, row
    row = g.updated(base, str(at), **{column: op[2]})
    latest[key] = row
    return table, row
