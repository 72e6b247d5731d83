"""The seven slowly changing source tables: currencies, payment types, departments, staff,
addresses, counterparties and designs. Sizes scale with the order count (see ``Plan``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.source import synth, vocab

_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_HEX = "0123456789abcdef"


@dataclass(frozen=True)
class Plan:
    """How many rows each table gets; ``for_orders`` scales them with the sales order count."""

    orders: int
    purchases: int
    staff: int
    addresses: int
    counterparties: int
    designs: int

    @classmethod
    def for_orders(cls, orders: int) -> Plan:
        return cls(
            orders=orders,
            purchases=max(1, orders // 2),
            staff=max(20, min(orders // 100, 5_000)),
            addresses=max(30, min(orders // 50, 200_000)),
            counterparties=max(20, min(orders // 100, 50_000)),
            designs=max(50, min(orders // 20, 100_000)),
        )


def _audit(rng: np.random.Generator, n: int, start_us: int, span_days: int) -> dict[str, pa.Array]:
    """created_at spread over ``span_days`` before ``start_us``; some rows edited later."""
    created = start_us - rng.integers(0, span_days * synth.US_PER_DAY, size=n)
    created.sort()
    edited = rng.random(n) < 0.2
    updated = created + np.where(edited, rng.integers(0, 30 * synth.US_PER_DAY, size=n), 0)
    return {"created_at": synth.timestamps(created), "last_updated": synth.timestamps(updated)}


def _ids(n: int) -> pa.Array:
    return synth.ints(np.arange(1, n + 1))


def _person(rng: np.random.Generator, n: int) -> tuple[pa.Array, pa.Array]:
    return synth.pick(rng, vocab.FIRST_NAMES, n), synth.pick(rng, vocab.LAST_NAMES, n)


def build(rng: np.random.Generator, plan: Plan, start_us: int) -> dict[str, pa.Table]:
    """All seven reference tables, each row created before the first order (``start_us``)."""
    codes = [c for c, _ in vocab.CURRENCIES]
    out: dict[str, pa.Table] = {
        "currency": pa.table({"currency_id": _ids(len(codes)),
                              "currency_code": pa.array(codes),
                              **_audit(rng, len(codes), start_us, 400)}),
        "payment_type": pa.table({"payment_type_id": _ids(len(vocab.PAYMENT_TYPES)),
                                  "payment_type_name": pa.array(vocab.PAYMENT_TYPES),
                                  **_audit(rng, len(vocab.PAYMENT_TYPES), start_us, 400)}),
        "department": pa.table({
            "department_id": _ids(len(vocab.DEPARTMENTS)),
            "department_name": pa.array([d[0] for d in vocab.DEPARTMENTS]),
            "location": pa.array([d[1] for d in vocab.DEPARTMENTS]),
            "manager": pa.array([d[2] for d in vocab.DEPARTMENTS]),
            **_audit(rng, len(vocab.DEPARTMENTS), start_us, 400)}),
    }
    first, last = _person(rng, plan.staff)
    out["staff"] = pa.table({
        "staff_id": _ids(plan.staff), "first_name": first, "last_name": last,
        "department_id": synth.ints(rng.integers(1, len(vocab.DEPARTMENTS) + 1, plan.staff)),
        "email_address": pc.utf8_lower(synth.concat(first, ".", last, ".",
                                                    synth.text(np.arange(1, plan.staff + 1)),
                                                    "@terrifictotes.com")),
        **_audit(rng, plan.staff, start_us, 300)})
    out["address"] = _addresses(rng, plan.addresses, start_us)
    out["counterparty"] = _counterparties(rng, plan, start_us)
    out["design"] = _designs(rng, plan.designs, start_us)
    return out


def _addresses(rng: np.random.Generator, n: int, start_us: int) -> pa.Table:
    loc = rng.integers(0, len(vocab.LOCALES), n)
    column = [pa.array([row[i] for row in vocab.LOCALES]).take(pa.array(loc)) for i in range(4)]
    city, country, style, dial = column
    digits5 = synth.text(rng.integers(0, 100_000, n), 5)
    uk = synth.concat(pc.utf8_slice_codeunits(style, 3), synth.text(rng.integers(1, 30, n)), " ",
                      synth.text(rng.integers(1, 10, n)), synth.code(rng, n, 2, _UPPER))
    nl = synth.concat(synth.text(rng.integers(1000, 10_000, n)), " ",
                      synth.code(rng, n, 2, _UPPER))
    jp = synth.concat(synth.text(rng.integers(100, 1000, n)), "-",
                      synth.text(rng.integers(0, 10_000, n), 4))
    digits4 = synth.text(rng.integers(1000, 10_000, n))
    postal = pc.case_when(
        pc.make_struct(pc.starts_with(style, "uk:"), pc.equal(style, "nl"),
                       pc.equal(style, "jp"), pc.equal(style, "digits4")),
        uk, nl, jp, digits4, digits5)
    phone = synth.concat(dial, " ", synth.text(rng.integers(100, 1000, n)), " ",
                         synth.text(rng.integers(100, 1000, n)), " ",
                         synth.text(rng.integers(0, 10_000, n), 4))
    line2 = synth.concat("Unit ", synth.text(rng.integers(1, 60, n)))
    return pa.table({
        "address_id": _ids(n),
        "address_line_1": synth.concat(synth.text(rng.integers(1, 400, n)), " ",
                                       synth.pick(rng, vocab.STREETS, n)),
        "address_line_2": synth.null_some(rng, line2, 0.7),
        "district": synth.null_some(rng, synth.pick(rng, vocab.DISTRICTS, n), 0.5),
        "city": city, "postal_code": postal, "country": country, "phone": phone,
        **_audit(rng, n, start_us, 365)})


def _counterparties(rng: np.random.Generator, plan: Plan, start_us: int) -> pa.Table:
    n = plan.counterparties
    name_a = synth.pick(rng, vocab.LAST_NAMES, n)
    name_b = synth.pick(rng, vocab.LAST_NAMES, n)
    two_names = pa.array(rng.random(n) < 0.3)
    legal = pc.if_else(two_names, synth.concat(name_a, ", ", name_b, " and Partners"),
                       synth.concat(name_a, synth.pick(rng, vocab.COMPANY_SUFFIXES, n)))
    first, last = _person(rng, n)
    first2, last2 = _person(rng, n)
    return pa.table({
        "counterparty_id": _ids(n),
        "counterparty_legal_name": legal,
        "legal_address_id": synth.ints(rng.integers(1, plan.addresses + 1, n)),
        "commercial_contact": synth.null_some(rng, synth.concat(first, " ", last), 0.1),
        "delivery_contact": synth.null_some(rng, synth.concat(first2, " ", last2), 0.1),
        **_audit(rng, n, start_us, 365)})


def _designs(rng: np.random.Generator, n: int, start_us: int) -> pa.Table:
    name = synth.pick(rng, vocab.DESIGN_WORDS, n)
    stamp = synth.date_strings(start_us - rng.integers(0, 365 * synth.US_PER_DAY, n))
    file_name = synth.concat(pc.utf8_lower(name), "-", pc.replace_substring(stamp, "-", ""),
                             "-", synth.code(rng, n, 8, _HEX), ".json")
    return pa.table({
        "design_id": _ids(n), "design_name": name,
        "file_location": synth.pick(rng, vocab.FILE_LOCATIONS, n), "file_name": file_name,
        **_audit(rng, n, start_us, 365)})
