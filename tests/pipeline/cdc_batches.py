"""Hand-built change-stream batches in the raw zone, written by the cdc source's own writer.

Changes go through ``pipeline.source.cdc.rawbatch`` (the contract's columns plus the ``cdc_*``
origin columns, truncates as manifest events), so the transform and load tests pin the
interface between the change stream and the warehouse without a logical-replication server.
A ``Stream`` hands out commit positions the way a slot does: one commit LSN, time and xid per
transaction, ordinals 0.. inside it, LSNs and times increasing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from pipeline.source.cdc import rawbatch
from pipeline.source.cdc.changes import Change, Op
from pipeline.source.tables import BY_NAME, TABLES

Step = tuple[str, Op, dict[str, Any]]  # (table, operation, row)


class Stream:
    """Commit positions for hand-written transactions, in commit order."""

    def __init__(self, lsn: int = 0x1_6B37_4D48, at: datetime = datetime(2024, 3, 1, tzinfo=UTC),
                 xid: int = 900) -> None:
        self.lsn, self.at, self.xid = lsn, at, xid

    def snapshot(self, tables: dict[str, list[dict[str, Any]]]) -> list[Change]:
        """The initial copy: every row an insert at the slot's consistent point, ordinal 0."""
        return [Change(name, Op.INSERT, row, self.lsn, self.lsn, self.at, self.xid, 0)
                for name, rows in tables.items() for row in rows]

    def commit(self, *steps: Step) -> list[Change]:
        """One transaction: its changes share the commit LSN, time and xid."""
        self.lsn += 0x1000
        self.at += timedelta(minutes=5)
        self.xid += 1
        return [Change(table, op, row, self.lsn, self.lsn + 0x80, self.at, self.xid, i)
                for i, (table, op, row) in enumerate(steps)]


def write_batch(raw_uri: str, changes: Iterable[Change]) -> str:
    """Commit one batch of ``changes`` as the cdc source does (``rawbatch.write_changes``:
    data parts per table, truncates as events of the manifest, then the manifest); its id."""
    changes = list(changes)
    lsns = [c.commit_lsn for c in changes] or [0]
    written = rawbatch.write_changes(raw_uri, changes, TABLES, start_lsn=min(lsns),
                                     end_lsn=max(c.end_lsn for c in changes),
                                     slot="tricloud", publication="tricloud")
    return written.batch_id


def key_only(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """What a delete carries under the default replica identity: the primary key only."""
    key = BY_NAME[table].key
    return {key: row[key]}
