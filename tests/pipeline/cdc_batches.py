"""Hand-built change-stream batches in the raw zone, written the way the cdc ingest writes them.

Rows go through ``pipeline.source.cdc.arrow`` (the contract's columns plus the ``cdc_*`` origin
columns) and the raw zone's own part writer and manifest, so the transform and load tests pin
the interface between the change stream and the warehouse without a logical-replication
server. A ``Stream`` hands out commit positions the way a slot does: one commit LSN, time and
xid per transaction, ordinals 0.. inside it, LSNs and times increasing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from pipeline import raw
from pipeline.source.cdc import arrow
from pipeline.source.cdc.changes import Change, Op
from pipeline.source.tables import BY_NAME

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


def write_batch(raw_uri: str, batch_id: str, changes: Iterable[Change]) -> dict[str, int]:
    """Commit one cdc raw batch (data parts, then the manifest); rows per table. A truncate
    has no row: it goes into the manifest's ``cdc.truncates``, as the ingest writes it."""
    changes = list(changes)
    rows = [c for c in changes if c.op is not Op.TRUNCATE]
    truncates = [{"table": c.table, "commit_lsn": c.commit_lsn, "ordinal": c.ordinal,
                  "commit_time": c.commit_time.isoformat()}
                 for c in changes if c.op is Op.TRUNCATE]
    parts = []
    for name in dict.fromkeys(c.table for c in changes):
        table_parts = raw.TableParts(raw_uri, name, batch_id)
        table_parts.add(arrow.to_batch(BY_NAME[name], rows))
        table_parts.flush()
        parts.append(table_parts)
    raw.write_manifest(raw_uri, batch_id, "cdc", parts, extras={"cdc": {"truncates": truncates}})
    return {p.table: p.rows for p in parts}


def key_only(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """What a delete carries under the default replica identity: the primary key only."""
    key = BY_NAME[table].key
    return {key: row[key]}
