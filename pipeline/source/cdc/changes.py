"""Decoded messages -> committed row changes, with typed values and TOAST values carried.

pgoutput sends a Relation before the first row of each table (and again after a schema change),
then rows as positions in that relation. This turns the message stream into ``Change`` records a
loader can use on its own: table name, operation, a typed row, the transaction's commit LSN,
commit time and xid, and the change's ordinal inside its transaction (two updates of one row in
one transaction are two versions with the same commit LSN). A transaction's changes are released
only at its Commit, so a caller never sees half a transaction.

An update that leaves a TOASTed column alone sends 'u' instead of the value. The value is
carried from the last version seen of that row: the update's old tuple (REPLICA IDENTITY FULL),
an earlier change in this read, or a row the caller remembered (the initial snapshot or the
previous batch) in the ``RowCache``. If none of those has it, guessing would corrupt the row, so
it is an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from pipeline.errors import PipelineError
from pipeline.source.cdc import identity, values
from pipeline.source.cdc.messages import (
    UNCHANGED,
    Begin,
    Commit,
    Delete,
    Insert,
    Message,
    Relation,
    Truncate,
    Update,
    Value,
)

Row = dict[str, Any]
Key = tuple[Any, ...]


class Op(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    TRUNCATE = "truncate"


@dataclass(frozen=True)
class Change:
    """One committed change. ``row`` is the new row, the deleted row's last known version (its
    key at least) for a delete, and empty for a truncate."""

    table: str
    op: Op
    row: Row
    commit_lsn: int
    end_lsn: int
    commit_time: datetime
    xid: int
    ordinal: int


class UnknownToastValueError(PipelineError):
    """An unchanged TOASTed value whose previous version was never read."""


@dataclass
class RowCache:
    """The last known version of each row, by (table, key): where unchanged values come from."""

    rows: dict[tuple[str, Key], Row] = field(default_factory=dict)

    def remember(self, table: str, key: Key, row: Row) -> None:
        self.rows[(table, key)] = row

    def get(self, table: str, key: Key) -> Row | None:
        return self.rows.get((table, key))

    def forget(self, table: str, key: Key | None = None) -> None:
        """Drop one row, or with no key every row of the table (a truncate)."""
        if key is not None:
            self.rows.pop((table, key), None)
            return
        for cached in [k for k in self.rows if k[0] == table]:
            del self.rows[cached]


class ChangeAssembler:
    """Feed decoded messages in order; get each transaction's changes at its Commit.

    ``keys`` maps a table name to its key columns (the contract's ``SourceTable.key``); a table
    not in it is keyed by the Relation's key columns.
    """

    def __init__(self, keys: Mapping[str, tuple[str, ...]] | None = None,
                 cache: RowCache | None = None) -> None:
        self.keys = dict(keys or {})
        self.cache = cache if cache is not None else RowCache()
        self.relations: dict[int, Relation] = {}
        self._begin: Begin | None = None
        self._pending: list[tuple[str, Op, Row]] = []

    def feed_all(self, messages: Iterable[Message]) -> Iterator[Change]:
        for message in messages:
            yield from self.feed(message)

    def feed(self, message: Message) -> list[Change]:
        if isinstance(message, Relation):
            self._relation(message)
        elif isinstance(message, Begin):
            self._begin, self._pending = message, []
        elif isinstance(message, Commit):
            return self._commit(message)
        elif isinstance(message, Insert):
            rel = self._rel(message.relation_id)
            row = self._row(rel, message.new, None)
            self._record(rel, Op.INSERT, row)
        elif isinstance(message, Update):
            rel = self._rel(message.relation_id)
            before: Row | None = None
            if UNCHANGED in message.new:  # only then are the old values needed
                old = self._row(rel, message.old, None, partial=True)
                identified = old or self._row(rel, message.new, None, partial=True)
                before = {**(self.cache.get(rel.name, self._key(rel, identified)) or {}),
                          **(old if message.old_kind == "O" else {})}
            else:  # the common case: the old row's key tells whether the key changed
                old = self._key_row(rel, message.old)
            row = self._row(rel, message.new, before)
            if old and self._key(rel, old) != self._key(rel, row):
                self.cache.forget(rel.name, self._key(rel, old))  # the key itself changed
            self._record(rel, Op.UPDATE, row)
        elif isinstance(message, Delete):
            rel = self._rel(message.relation_id)
            gone = self._row(rel, message.old, None, partial=True)
            last = self.cache.get(rel.name, self._key(rel, gone)) or {}
            if message.old_kind == "K":  # only the key columns are real; the rest are 'n'
                gone = {k: v for k, v in gone.items() if v is not None}
            self._record(rel, Op.DELETE, {**last, **gone})
        elif isinstance(message, Truncate):
            for relation_id in message.relation_ids:
                self._record(self._rel(relation_id), Op.TRUNCATE, {})
        return []

    def _relation(self, rel: Relation) -> None:
        has_key = any(c.is_key for c in rel.columns)
        error = identity.problem(rel.namespace, rel.name, rel.replica_identity, has_key)
        if error:
            raise identity.ReplicaIdentityError(error)
        self.relations[rel.relation_id] = rel

    def _rel(self, relation_id: int) -> Relation:
        if relation_id not in self.relations:
            raise PipelineError(f"change for relation {relation_id} before its Relation message")
        return self.relations[relation_id]

    def _key(self, rel: Relation, row: Row) -> Key:
        names = self.keys.get(rel.name) or tuple(c.name for c in rel.columns if c.is_key)
        return tuple(row.get(name) for name in names)

    def _key_row(self, rel: Relation, data: tuple[Value, ...] | None) -> Row:
        """Only the key columns of a tuple, typed: enough to tell whose row it was."""
        if data is None:
            return {}
        names = self.keys.get(rel.name) or tuple(c.name for c in rel.columns if c.is_key)
        return {c.name: values.parse(c.type_oid, v) if isinstance(v, str) else v
                for c, v in zip(rel.columns, data, strict=True)
                if c.name in names and v is not UNCHANGED}

    def _row(self, rel: Relation, data: tuple[Value, ...] | None, before: Row | None,
             *, partial: bool = False) -> Row:
        """Typed values by column name; 'u' filled from ``before`` (or omitted if partial)."""
        if data is None:
            return {}
        row: Row = {}
        for column, value in zip(rel.columns, data, strict=True):
            if value is UNCHANGED:
                if partial:
                    continue
                if before is None or column.name not in before:
                    raise UnknownToastValueError(
                        f"{rel.namespace}.{rel.name}: the update left TOASTed column "
                        f"{column.name} unchanged and no earlier version of the row was read; "
                        "start from the initial snapshot, or run: ALTER TABLE "
                        f"{rel.namespace}.{rel.name} REPLICA IDENTITY FULL")
                row[column.name] = before[column.name]
            elif isinstance(value, str):
                row[column.name] = values.parse(column.type_oid, value)
            else:
                row[column.name] = value
        return row

    def _record(self, rel: Relation, op: Op, row: Row) -> None:
        if self._begin is None:
            raise PipelineError(f"{op} on {rel.name} outside a transaction")
        self._pending.append((rel.name, op, row))
        if op is Op.TRUNCATE:
            self.cache.forget(rel.name)
        elif op is Op.DELETE:
            self.cache.forget(rel.name, self._key(rel, row))
        else:
            self.cache.remember(rel.name, self._key(rel, row), row)

    def _commit(self, commit: Commit) -> list[Change]:
        begin = self._begin
        if begin is None:
            raise PipelineError("Commit without Begin")
        changes = [Change(table=t, op=op, row=row, commit_lsn=commit.commit_lsn,
                          end_lsn=commit.end_lsn, commit_time=begin.commit_time,
                          xid=begin.xid, ordinal=i)
                   for i, (t, op, row) in enumerate(self._pending)]
        self._begin, self._pending = None, []
        return changes
