"""The pgoutput decoder: encode -> decode round trips for any message, and malformed input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.source.cdc.decode import DecodeError, decode
from pipeline.source.cdc.lsn import format_lsn, parse_lsn
from pipeline.source.cdc.messages import (
    UNCHANGED,
    Begin,
    Column,
    Commit,
    Delete,
    Insert,
    LogicalMessage,
    Origin,
    Relation,
    ReplicaIdentity,
    Truncate,
    TypeInfo,
    Update,
)
from tests.pipeline.cdc.encoder import encode

u32 = st.integers(0, 2**32 - 1)
u64 = st.integers(0, 2**64 - 1)
names = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)),
                max_size=12)
times = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2200, 1, 1),
                     timezones=st.just(UTC))
values = st.one_of(st.none(), st.just(UNCHANGED), names, st.binary(max_size=8))
tuples = st.lists(values, max_size=6).map(tuple)
columns = st.builds(Column, name=names, type_oid=u32,
                    type_modifier=st.integers(-(2**31), 2**31 - 1), is_key=st.booleans())
messages = st.one_of(
    st.builds(Begin, final_lsn=u64, commit_time=times, xid=u32),
    st.builds(Commit, flags=st.just(0), commit_lsn=u64, end_lsn=u64, commit_time=times),
    st.builds(Origin, lsn=u64, name=names),
    st.builds(Relation, relation_id=u32, namespace=names, name=names,
              replica_identity=st.sampled_from(ReplicaIdentity),
              columns=st.lists(columns, max_size=5).map(tuple)),
    st.builds(TypeInfo, type_oid=u32, namespace=names, name=names),
    st.builds(Insert, relation_id=u32, new=tuples),
    st.builds(Update, relation_id=u32, old_kind=st.just(None), old=st.just(None), new=tuples),
    st.builds(Update, relation_id=u32, old_kind=st.sampled_from("KO"), old=tuples, new=tuples),
    st.builds(Delete, relation_id=u32, old_kind=st.sampled_from("KO"), old=tuples),
    st.builds(Truncate, options=st.integers(0, 3),
              relation_ids=st.lists(u32, max_size=4).map(tuple)),
    st.builds(LogicalMessage, flags=st.integers(0, 1), lsn=u64, prefix=names,
              content=st.binary(max_size=16)),
)


@given(messages)
def test_every_message_round_trips(message: object) -> None:
    assert decode(encode(message)) == message  # type: ignore[arg-type]


@given(messages, st.data())
def test_a_truncated_message_is_an_error_not_a_short_record(message: object,
                                                           data: st.DataObject) -> None:
    raw = encode(message)  # type: ignore[arg-type]
    cut = data.draw(st.integers(1, len(raw) - 1)) if len(raw) > 1 else None
    if cut is not None:
        with pytest.raises(DecodeError):
            decode(raw[:cut])


@given(u64)
def test_lsn_text_round_trips(lsn: int) -> None:
    assert parse_lsn(format_lsn(lsn)) == lsn


def test_trailing_bytes_and_unknown_types_are_refused() -> None:
    raw = encode(Truncate(options=0, relation_ids=(1,)))
    with pytest.raises(DecodeError, match="trailing"):
        decode(raw + b"x")
    with pytest.raises(DecodeError, match="'S'"):  # a protocol 2 stream start
        decode(b"S\0\0\0\1\1")


def test_real_server_bytes_decode() -> None:
    """Bytes captured from PostgreSQL 18 for: INSERT (1,'a'); UPDATE v='b'; DELETE."""
    relation = decode(b"R\x00\x00@\x00public\x00t\x00d\x00\x02\x01id\x00\x00\x00\x00\x17"
                      b"\xff\xff\xff\xff\x00v\x00\x00\x00\x00\x19\xff\xff\xff\xff")
    assert relation == Relation(16384, "public", "t", ReplicaIdentity.DEFAULT, (
        Column("id", 23, -1, True), Column("v", 25, -1, False)))
    begin = decode(b"B\x00\x00\x00\x00\x01q\x84\x00\x00\x03\x04\xa4\xbbTji\x00\x00\x02\xf2")
    assert isinstance(begin, Begin) and begin.xid == 754
    assert format_lsn(begin.final_lsn) == "0/1718400"
    assert begin.commit_time.year == 2026
    assert decode(b"I\x00\x00@\x00N\x00\x02t\x00\x00\x00\x011t\x00\x00\x00\x01a") == \
        Insert(16384, ("1", "a"))
    assert decode(b"D\x00\x00@\x00K\x00\x02t\x00\x00\x00\x011n") == Delete(16384, "K", ("1", None))
    commit = decode(b"C\x00\x00\x00\x00\x00\x01q\x84\x00\x00\x00\x00\x00\x01q\x840\x00\x03\x04"
                    b"\xa4\xbbTji")
    assert isinstance(commit, Commit) and commit.commit_lsn == begin.final_lsn
    assert commit.commit_time == begin.commit_time and commit.end_lsn > commit.commit_lsn


def test_text_that_is_not_utf8_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="not UTF-8"):
        decode(b"I\0\0\0\1N\0\1t\0\0\0\1\xff")
