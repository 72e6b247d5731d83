"""The initial copy, taken at exactly the point where the slot's stream begins.

Creating a logical slot over a replication connection with ``SNAPSHOT 'export'`` returns the
slot's consistent point and the name of a snapshot of the database as of that point. While
that connection stays open (and runs nothing else), another REPEATABLE READ transaction can
adopt the snapshot with ``SET TRANSACTION SNAPSHOT`` and copy the tables. Every transaction
committed before the point is in the copy and none after it; the slot streams exactly the
latter. So no change is missed or applied twice between the copy and the stream, even with
writers running throughout.

psycopg has no replication protocol API, but a ``replication=database`` connection accepts
replication commands as simple queries through the low-level ``pgconn.exec_``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import TracebackType

import psycopg
from psycopg import pq, sql

from pipeline import pgcopy
from pipeline.errors import PipelineError
from pipeline.settings import SLOT_NAME
from pipeline.source.cdc.lsn import parse_lsn
from pipeline.source.postgres import PostgresSource, describe, first_line

_SNAPSHOT_NAME = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")


def check_slot_name(name: str) -> str:
    """Slot names are limited by the server to lower-case letters, digits and underscores."""
    if not SLOT_NAME.match(name):
        raise PipelineError(f"invalid replication slot name {name!r}: use a-z, 0-9 and _ "
                            "(at most 63 characters)")
    return name


@dataclass(frozen=True)
class SlotStart:
    """Where a new slot's stream begins and the snapshot that matches it."""

    slot: str
    consistent_lsn: int
    snapshot_name: str


class SnapshotSource(PostgresSource):
    """The watermark source's reader, pinned to an exported snapshot: same types, same code."""

    kind = "cdc-snapshot"

    def __init__(self, url: str, snapshot_name: str) -> None:
        if not _SNAPSHOT_NAME.match(snapshot_name):
            raise PipelineError(f"not an exported snapshot name: {snapshot_name!r}")
        super().__init__(url)
        try:
            self._cur.execute(f"SET TRANSACTION SNAPSHOT '{snapshot_name}'")
        except pgcopy.AdbcError as exc:
            self.close()
            raise PipelineError(f"cannot adopt snapshot {snapshot_name} in {self.where}: "
                                f"{first_line(exc)}") from None


class InitialSnapshot:
    """Create the slot and hold its exported snapshot while the block copies the tables.

    ``with InitialSnapshot(url, "tricloud") as start:`` then read through
    ``SnapshotSource(url, start.snapshot_name)`` inside the block. With ``replace=True`` an
    existing slot of that name is dropped first: right only when nothing it streamed has been
    kept, which is the case for a first run whose copy has not been committed.
    """

    def __init__(self, url: str, slot: str, *, replace: bool = False) -> None:
        self.url, self.slot, self.replace = url, check_slot_name(slot), replace
        self._conn: psycopg.Connection | None = None

    def __enter__(self) -> SlotStart:
        where = describe(self.url)
        if self.replace:
            with psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute("SELECT pg_drop_replication_slot(slot_name) "
                             "FROM pg_replication_slots WHERE slot_name = %s", (self.slot,))
        try:
            self._conn = psycopg.connect(self.url, autocommit=True, replication="database")
        except psycopg.Error as exc:
            raise PipelineError(f"cannot open a replication connection to {where}: "
                                f"{first_line(exc)}; the role needs the REPLICATION attribute "
                                "(see `pipeline cdc setup`)") from None
        command = sql.SQL("CREATE_REPLICATION_SLOT {} LOGICAL pgoutput (SNAPSHOT 'export')")
        result = self._conn.pgconn.exec_(
            command.format(sql.Identifier(self.slot)).as_bytes(self._conn))
        if result.status != pq.ExecStatus.TUPLES_OK:
            message = result.error_message.decode(errors="replace").strip()
            self.close()
            raise PipelineError(f"cannot create replication slot {self.slot} in {where}: "
                                f"{message.splitlines()[0] if message else 'unknown error'}")
        fields = {(result.fname(i) or b"").decode(): result.get_value(0, i)
                  for i in range(result.nfields)}
        return SlotStart(slot=self.slot,
                         consistent_lsn=parse_lsn((fields["consistent_point"] or b"").decode()),
                         snapshot_name=(fields["snapshot_name"] or b"").decode())

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Ends the exported snapshot; the slot stays and streams from its consistent point."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
