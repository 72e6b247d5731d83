"""Pure decoding of pgoutput protocol version 1 messages: bytes in, one typed record out.

No connection and no state: the slot functions hand back one message per row, so a message is
decoded on its own and anything that needs context (which relation, which transaction) is left
to ``changes``. Malformed input raises ``DecodeError`` naming the offset, because a silently
misread change is exactly the data loss change data capture exists to prevent.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta

from pipeline.source.cdc.messages import (
    UNCHANGED,
    Begin,
    Column,
    Commit,
    Delete,
    Insert,
    LogicalMessage,
    Message,
    Origin,
    Relation,
    ReplicaIdentity,
    Truncate,
    TypeInfo,
    Update,
    Value,
)

PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_I16, _I32 = struct.Struct(">h"), struct.Struct(">i")
_TEXT, _BINARY, _NULL, _UNCHANGED = b"t"[0], b"b"[0], b"n"[0], b"u"[0]


class DecodeError(ValueError):
    """The bytes are not a pgoutput version 1 message."""


def pg_time(micros: int) -> datetime:
    """Microseconds since 2000-01-01 UTC (the wire's timestamps) -> an aware datetime."""
    return PG_EPOCH + timedelta(microseconds=micros)


def _utf8(raw: bytes, pos: int) -> str:
    """The slot functions ask pgoutput for the database encoding, which must be UTF-8 here."""
    try:
        return raw.decode()
    except UnicodeDecodeError as exc:
        raise DecodeError(f"text near byte {pos} is not UTF-8: {exc.reason}") from None


class _Buffer:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise DecodeError(f"message ends at byte {len(self.data)}, needed {self.pos + n}")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str) -> int:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def byte(self) -> str:
        return chr(self.take(1)[0])

    def string(self) -> str:
        end = self.data.find(b"\0", self.pos)
        if end < 0:
            raise DecodeError(f"unterminated string at byte {self.pos}")
        text = _utf8(self.data[self.pos:end], self.pos)
        self.pos = end + 1
        return text

    def tuple_data(self) -> tuple[Value, ...]:
        """The columns of one row. The hot path of a drain (one call per row version), so it
        works on the bytes directly instead of through ``take``; the checks are the same."""
        data, pos, end = self.data, self.pos, len(self.data)
        if pos + 2 > end:
            raise DecodeError(f"message ends at byte {end}, needed {pos + 2}")
        (count,) = _I16.unpack_from(data, pos)
        pos += 2
        values: list[Value] = []
        append = values.append
        for _ in range(count):
            if pos >= end:
                raise DecodeError(f"message ends at byte {end}, needed {pos + 1}")
            kind = data[pos]
            pos += 1
            if kind in (_TEXT, _BINARY):
                if pos + 4 > end:
                    raise DecodeError(f"message ends at byte {end}, needed {pos + 4}")
                (n,) = _I32.unpack_from(data, pos)
                pos += 4
                if n < 0 or pos + n > end:
                    raise DecodeError(f"message ends at byte {end}, needed {pos + n}")
                raw = data[pos:pos + n]
                append(_utf8(raw, pos) if kind == _TEXT else raw)
                pos += n
            elif kind == _NULL:
                append(None)
            elif kind == _UNCHANGED:
                append(UNCHANGED)
            else:
                raise DecodeError(f"unknown tuple column kind {chr(kind)!r} at byte {pos - 1}")
        self.pos = pos
        return tuple(values)

    def done(self, what: str) -> None:
        if self.pos != len(self.data):
            raise DecodeError(f"{len(self.data) - self.pos} trailing bytes after {what}")


def decode(data: bytes) -> Message:
    """One pgoutput message (as returned by ``pg_logical_slot_peek_binary_changes``)."""
    buf = _Buffer(data)
    kind = buf.byte()
    message = _DECODERS[kind](buf) if kind in _DECODERS else None
    if message is None:
        raise DecodeError(f"unknown or unsupported pgoutput message type {kind!r} "
                          "(only protocol version 1 is decoded)")
    buf.done(type(message).__name__)
    return message


def _begin(buf: _Buffer) -> Begin:
    lsn, micros, xid = buf.unpack(">Q"), buf.unpack(">q"), buf.unpack(">I")
    return Begin(final_lsn=lsn, commit_time=pg_time(micros), xid=xid)


def _commit(buf: _Buffer) -> Commit:
    flags = buf.unpack(">B")
    commit_lsn, end_lsn, micros = buf.unpack(">Q"), buf.unpack(">Q"), buf.unpack(">q")
    return Commit(flags=flags, commit_lsn=commit_lsn, end_lsn=end_lsn,
                  commit_time=pg_time(micros))


def _origin(buf: _Buffer) -> Origin:
    return Origin(lsn=buf.unpack(">Q"), name=buf.string())


def _relation(buf: _Buffer) -> Relation:
    relation_id, namespace, name = buf.unpack(">I"), buf.string(), buf.string()
    identity = buf.byte()
    try:
        replica_identity = ReplicaIdentity(identity)
    except ValueError:
        raise DecodeError(f"unknown replica identity {identity!r} for {name}") from None
    columns = []
    for _ in range(buf.unpack(">h")):
        flags, col = buf.unpack(">B"), buf.string()
        columns.append(Column(name=col, type_oid=buf.unpack(">I"),
                              type_modifier=buf.unpack(">i"), is_key=bool(flags & 1)))
    return Relation(relation_id=relation_id, namespace=namespace, name=name,
                    replica_identity=replica_identity, columns=tuple(columns))


def _type(buf: _Buffer) -> TypeInfo:
    return TypeInfo(type_oid=buf.unpack(">I"), namespace=buf.string(), name=buf.string())


def _expect(buf: _Buffer, allowed: str) -> str:
    marker = buf.byte()
    if marker not in allowed:
        raise DecodeError(f"expected one of {allowed!r} at byte {buf.pos - 1}, got {marker!r}")
    return marker


def _insert(buf: _Buffer) -> Insert:
    relation_id = buf.unpack(">I")
    _expect(buf, "N")
    return Insert(relation_id=relation_id, new=buf.tuple_data())


def _update(buf: _Buffer) -> Update:
    relation_id = buf.unpack(">I")
    marker = _expect(buf, "KON")
    old_kind, old = None, None
    if marker != "N":
        old_kind, old = marker, buf.tuple_data()
        _expect(buf, "N")
    return Update(relation_id=relation_id, old_kind=old_kind, old=old, new=buf.tuple_data())


def _delete(buf: _Buffer) -> Delete:
    relation_id = buf.unpack(">I")
    old_kind = _expect(buf, "KO")
    return Delete(relation_id=relation_id, old_kind=old_kind, old=buf.tuple_data())


def _truncate(buf: _Buffer) -> Truncate:
    count, options = buf.unpack(">I"), buf.unpack(">B")
    return Truncate(options=options, relation_ids=tuple(buf.unpack(">I") for _ in range(count)))


def _message(buf: _Buffer) -> LogicalMessage:
    flags, lsn, prefix = buf.unpack(">B"), buf.unpack(">Q"), buf.string()
    return LogicalMessage(flags=flags, lsn=lsn, prefix=prefix, content=buf.take(buf.unpack(">I")))


_DECODERS = {"B": _begin, "C": _commit, "O": _origin, "R": _relation, "Y": _type, "I": _insert,
             "U": _update, "D": _delete, "T": _truncate, "M": _message}
