"""A small pgoutput version 1 encoder, for tests only: the decoder's round-trip partner."""

from __future__ import annotations

import struct
from datetime import datetime

from pipeline.source.cdc.decode import PG_EPOCH
from pipeline.source.cdc.messages import (
    UNCHANGED,
    Begin,
    Commit,
    Delete,
    Insert,
    LogicalMessage,
    Message,
    Origin,
    Relation,
    Truncate,
    TypeInfo,
    Update,
    Value,
)


def _micros(moment: datetime) -> int:
    delta = moment - PG_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _s(text: str) -> bytes:
    return text.encode() + b"\0"


def _tuple(values: tuple[Value, ...]) -> bytes:
    out = struct.pack(">h", len(values))
    for value in values:
        if value is None:
            out += b"n"
        elif value is UNCHANGED:
            out += b"u"
        elif isinstance(value, str):
            raw = value.encode()
            out += b"t" + struct.pack(">i", len(raw)) + raw
        else:
            assert isinstance(value, bytes)
            out += b"b" + struct.pack(">i", len(value)) + value
    return out


def encode(m: Message) -> bytes:
    if isinstance(m, Begin):
        return b"B" + struct.pack(">QqI", m.final_lsn, _micros(m.commit_time), m.xid)
    if isinstance(m, Commit):
        return b"C" + struct.pack(">BQQq", m.flags, m.commit_lsn, m.end_lsn,
                                  _micros(m.commit_time))
    if isinstance(m, Origin):
        return b"O" + struct.pack(">Q", m.lsn) + _s(m.name)
    if isinstance(m, Relation):
        out = b"R" + struct.pack(">I", m.relation_id) + _s(m.namespace) + _s(m.name)
        out += m.replica_identity.value.encode() + struct.pack(">h", len(m.columns))
        for c in m.columns:
            out += struct.pack(">B", int(c.is_key)) + _s(c.name)
            out += struct.pack(">Ii", c.type_oid, c.type_modifier)
        return out
    if isinstance(m, TypeInfo):
        return b"Y" + struct.pack(">I", m.type_oid) + _s(m.namespace) + _s(m.name)
    if isinstance(m, Insert):
        return b"I" + struct.pack(">I", m.relation_id) + b"N" + _tuple(m.new)
    if isinstance(m, Update):
        old = b"" if m.old is None else (m.old_kind or "").encode() + _tuple(m.old)
        return b"U" + struct.pack(">I", m.relation_id) + old + b"N" + _tuple(m.new)
    if isinstance(m, Delete):
        return b"D" + struct.pack(">I", m.relation_id) + m.old_kind.encode() + _tuple(m.old)
    if isinstance(m, Truncate):
        return (b"T" + struct.pack(">IB", len(m.relation_ids), m.options)
                + b"".join(struct.pack(">I", r) for r in m.relation_ids))
    assert isinstance(m, LogicalMessage)
    return (b"M" + struct.pack(">BQ", m.flags, m.lsn) + _s(m.prefix)
            + struct.pack(">I", len(m.content)) + m.content)
