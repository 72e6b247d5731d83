"""Change assembly without a server: typing, transaction boundaries, TOAST carry, identity."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.source.cdc import values
from pipeline.source.cdc.changes import ChangeAssembler, Op, RowCache, UnknownToastValueError
from pipeline.source.cdc.identity import ReplicaIdentityError
from pipeline.source.cdc.messages import (
    UNCHANGED,
    Begin,
    Column,
    Commit,
    Delete,
    Insert,
    Relation,
    ReplicaIdentity,
    Truncate,
    Update,
)

T0 = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
DESIGN = Relation(7, "public", "design", ReplicaIdentity.DEFAULT, (
    Column("design_id", values.INT4, -1, True), Column("file_location", values.VARCHAR, -1, False),
    Column("price", values.NUMERIC, -1, False), Column("seen", values.TIMESTAMP, -1, False)))


def _txn(xid: int, *body: object) -> list[object]:
    lsn = 1000 * xid
    return [Begin(lsn, T0, xid), *body, Commit(0, lsn, lsn + 8, T0)]


def test_changes_are_typed_and_released_only_at_commit() -> None:
    asm = ChangeAssembler({"design": ("design_id",)})
    assert asm.feed(DESIGN) == []
    assert asm.feed(Begin(5000, T0, 5)) == []
    assert asm.feed(Insert(7, ("1", "big", "12.50", "2026-01-02 03:04:05.5"))) == []
    [change] = asm.feed(Commit(0, 5000, 5008, T0))
    assert change.row == {"design_id": 1, "file_location": "big", "price": Decimal("12.50"),
                          "seen": datetime(2026, 1, 2, 3, 4, 5, 500000)}
    assert (change.op, change.commit_lsn, change.end_lsn, change.xid, change.commit_time) == \
        (Op.INSERT, 5000, 5008, 5, T0)


def test_unchanged_values_come_from_the_last_version_and_deletes_carry_it() -> None:
    cache = RowCache()
    asm = ChangeAssembler({"design": ("design_id",)}, cache)
    messages = [DESIGN,
                *_txn(1, Insert(7, ("1", "big", "1.00", None))),
                *_txn(2, Update(7, None, None, ("1", UNCHANGED, "2.00", None)),
                      Update(7, None, None, ("1", UNCHANGED, "3.00", None))),
                *_txn(3, Delete(7, "K", ("1", None, None, None)))]
    changes = list(asm.feed_all(messages))  # type: ignore[arg-type]
    assert [(c.op, c.row["file_location"], c.row["price"], c.ordinal) for c in changes] == [
        (Op.INSERT, "big", Decimal("1.00"), 0), (Op.UPDATE, "big", Decimal("2.00"), 0),
        (Op.UPDATE, "big", Decimal("3.00"), 1), (Op.DELETE, "big", Decimal("3.00"), 0)]
    assert cache.get("design", (1,)) is None


def test_an_unchanged_value_with_no_earlier_version_is_an_error() -> None:
    asm = ChangeAssembler({"design": ("design_id",)})
    with pytest.raises(UnknownToastValueError, match="file_location"):
        list(asm.feed_all([DESIGN, *_txn(1, Update(7, None, None, ("1", UNCHANGED, "1", None)))]))


def test_truncate_forgets_the_table() -> None:
    cache = RowCache()
    asm = ChangeAssembler({"design": ("design_id",)}, cache)
    out = list(asm.feed_all([DESIGN, *_txn(1, Insert(7, ("1", "a", "1", None))),
                             *_txn(2, Truncate(0, (7,)))]))
    assert [(c.op, c.row) for c in out][1] == (Op.TRUNCATE, {})
    assert cache.rows == {}


@pytest.mark.parametrize(("identity", "has_key", "fails"), [
    (ReplicaIdentity.DEFAULT, True, False), (ReplicaIdentity.DEFAULT, False, True),
    (ReplicaIdentity.NOTHING, True, True), (ReplicaIdentity.FULL, False, False),
    (ReplicaIdentity.INDEX, True, False)])
def test_replica_identity_rule(identity: ReplicaIdentity, has_key: bool, fails: bool) -> None:
    rel = Relation(9, "public", "t", identity, (Column("a", values.INT4, -1, has_key),))
    if fails:
        with pytest.raises(ReplicaIdentityError, match=r"ALTER TABLE public\.t REPLICA IDENTITY"):
            ChangeAssembler().feed(rel)
    else:
        assert ChangeAssembler().feed(rel) == []


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_timestamps_parse_as_postgres_prints_them(moment: datetime) -> None:
    text = moment.isoformat(sep=" ")  # PostgreSQL's text form drops zero microseconds too
    assert values.parse(values.TIMESTAMP, text) == moment


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2))
def test_numerics_keep_their_exact_value(value: Decimal) -> None:
    assert values.parse(values.NUMERIC, str(value)) == value


def test_values_outside_their_type_are_refused() -> None:
    for oid, text in ((values.BOOL, "yes"), (values.INT4, "1.5"), (values.NUMERIC, "NaN"),
                      (values.TIMESTAMP, "infinity")):
        with pytest.raises(values.BadValueError):
            values.parse(oid, text)


def test_an_update_of_the_key_moves_the_remembered_row() -> None:
    cache = RowCache()
    asm = ChangeAssembler({"design": ("design_id",)}, cache)
    list(asm.feed_all([DESIGN, *_txn(1, Insert(7, ("2", "a", "1", None))),
                       *_txn(2, Update(7, "K", ("2", None, None, None),
                                       ("3", "a", "1", None)))]))
    assert cache.get("design", (2,)) is None
    assert cache.get("design", (3,)) == {"design_id": 3, "file_location": "a",
                                         "price": Decimal("1"), "seen": None}


def test_a_full_identity_delete_trusts_its_old_row_over_the_cache() -> None:
    full = Relation(7, "public", "design", ReplicaIdentity.FULL, DESIGN.columns)
    cache = RowCache()
    cache.remember("design", (1,), {"design_id": 1, "file_location": "stale",
                                    "price": Decimal("9"), "seen": None})
    [gone] = ChangeAssembler({"design": ("design_id",)}, cache).feed_all(
        [full, *_txn(1, Delete(7, "O", ("1", None, "2.00", None)))])
    assert gone.row == {"design_id": 1, "file_location": None, "price": Decimal("2.00"),
                        "seen": None}
