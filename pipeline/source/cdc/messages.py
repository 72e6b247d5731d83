"""The typed records one pgoutput message decodes to (protocol version 1).

Field names follow the protocol documentation ("Logical Replication Message Formats") so a
reader can check them against it. Tuple values stay as the server sent them (text, or ``None``
for NULL, or ``UNCHANGED`` for a TOASTed value the update did not touch): turning text into
typed values needs the relation's column types, which ``changes`` owns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final


class _Unchanged:
    """The 'u' marker: the column is TOASTed and unchanged, so pgoutput did not send it."""

    _instance: _Unchanged | None = None

    def __new__(cls) -> _Unchanged:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = _Unchanged()

Value = str | bytes | None | _Unchanged
"""One column of a tuple: text ('t'), binary ('b', protocol 2+ with binary), NULL, or 'u'."""


class ReplicaIdentity(StrEnum):
    """``pg_class.relreplident``: what an update or delete carries of the old row."""

    DEFAULT = "d"   # the primary key columns, if there is a primary key
    NOTHING = "n"   # nothing: updates and deletes cannot be identified
    FULL = "f"      # every column of the old row
    INDEX = "i"     # the columns of a chosen unique index


@dataclass(frozen=True)
class Column:
    name: str
    type_oid: int
    type_modifier: int
    is_key: bool


@dataclass(frozen=True)
class Begin:
    final_lsn: int          # the commit record's LSN
    commit_time: datetime   # UTC, timezone-aware
    xid: int


@dataclass(frozen=True)
class Commit:
    flags: int
    commit_lsn: int
    end_lsn: int            # where the next transaction may start: what a slot is advanced to
    commit_time: datetime


@dataclass(frozen=True)
class Origin:
    lsn: int
    name: str


@dataclass(frozen=True)
class Relation:
    relation_id: int
    namespace: str
    name: str
    replica_identity: ReplicaIdentity
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class TypeInfo:
    type_oid: int
    namespace: str
    name: str


@dataclass(frozen=True)
class Insert:
    relation_id: int
    new: tuple[Value, ...]


@dataclass(frozen=True)
class Update:
    relation_id: int
    old_kind: str | None            # 'K' key columns only, 'O' whole old row, None not sent
    old: tuple[Value, ...] | None
    new: tuple[Value, ...]


@dataclass(frozen=True)
class Delete:
    relation_id: int
    old_kind: str                   # 'K' or 'O'
    old: tuple[Value, ...]


@dataclass(frozen=True)
class Truncate:
    options: int                    # bit 1 CASCADE, bit 2 RESTART IDENTITY
    relation_ids: tuple[int, ...]


@dataclass(frozen=True)
class LogicalMessage:
    flags: int
    lsn: int
    prefix: str
    content: bytes


Message = (Begin | Commit | Origin | Relation | TypeInfo | Insert | Update | Delete | Truncate
           | LogicalMessage)
