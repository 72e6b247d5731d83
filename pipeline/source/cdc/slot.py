"""Reading a slot's changes over an ordinary connection, and confirming them afterwards.

``pg_logical_slot_peek_binary_changes`` decodes without consuming, and
``pg_replication_slot_advance`` moves the slot's confirmed position. Keeping the two apart is
what makes delivery exactly-once: peek, write the batch, commit its manifest, and only then
advance to the batch's ``end_lsn``. A crash before the advance re-reads the same transactions,
which the committed manifest lets the caller skip; a crash after it loses nothing. Reads stop at
transaction boundaries, so a batch never holds half a transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import psycopg

from pipeline.errors import PipelineError
from pipeline.source.cdc.changes import Change, ChangeAssembler, RowCache
from pipeline.source.cdc.decode import decode
from pipeline.source.cdc.lsn import format_lsn, parse_lsn
from pipeline.source.cdc.messages import Commit, Message
from pipeline.source.tables import TABLES

PEEK = ("SELECT data FROM pg_logical_slot_peek_binary_changes(%s, %s::pg_lsn, %s::int, "
        "'proto_version', '1', 'publication_names', %s)")


STREAM_CHUNK = 1000


@dataclass(frozen=True)
class Batch:
    """Whole committed transactions, in commit order; ``end_lsn`` is what to advance to."""

    changes: list[Change]
    transactions: int
    end_lsn: int | None


class SlotReader:
    """Peeks and advances one slot; ``cache`` carries unchanged TOAST values between batches.

    Rows are keyed by the contract's key columns (``pipeline.source.tables``) unless ``keys``
    says otherwise.
    """

    def __init__(self, conn: psycopg.Connection, slot: str, publication: str, *,
                 keys: dict[str, tuple[str, ...]] | None = None,
                 cache: RowCache | None = None) -> None:
        self.conn, self.slot, self.publication = conn, slot, publication
        self.keys = keys if keys is not None else {t.name: (t.key,) for t in TABLES}
        self.cache = cache if cache is not None else RowCache()

    def messages(self, *, upto_lsn: int | None = None,
                 upto_changes: int | None = None) -> Iterator[Message]:
        """Every message from the slot's confirmed position, decoded, without consuming."""
        lsn = format_lsn(upto_lsn) if upto_lsn is not None else None
        try:
            with self.conn.cursor() as cur:
                # Rows in chunks (libpq 17+): one at a time costs a round of calls per row.
                for (data,) in cur.stream(PEEK, (self.slot, lsn, upto_changes,
                                                 self.publication), size=STREAM_CHUNK):
                    yield decode(bytes(data))
        except psycopg.Error as exc:
            raise PipelineError(slot_error(self.slot, exc)) from None

    def peek(self, *, upto_lsn: int | None = None, upto_changes: int | None = None) -> Batch:
        """Committed changes not yet confirmed: the transactions committed before ``upto_lsn``,
        or transactions until at least ``upto_changes`` messages were read."""
        # pgoutput re-sends each Relation in every decoding call, so the relation map is
        # per read; the row cache outlives it.
        assembler = ChangeAssembler(self.keys, self.cache)
        changes: list[Change] = []
        transactions, end_lsn = 0, None
        for message in self.messages(upto_lsn=upto_lsn, upto_changes=upto_changes):
            committed = assembler.feed(message)
            if isinstance(message, Commit):
                transactions += 1
                end_lsn = message.end_lsn
            changes.extend(committed)
        return Batch(changes=changes, transactions=transactions, end_lsn=end_lsn)

    def advance(self, lsn: int) -> int:
        """Confirm everything before ``lsn`` (call only once the batch is durably committed);
        returns the slot's new confirmed position."""
        try:
            row = self.conn.execute(
                "SELECT end_lsn FROM pg_replication_slot_advance(%s, %s::pg_lsn)",
                (self.slot, format_lsn(lsn))).fetchone()
        except psycopg.Error as exc:
            raise PipelineError(slot_error(self.slot, exc)) from None
        assert row is not None
        return parse_lsn(str(row[0]))


def deliver(reader: SlotReader, commit: Callable[[Batch], None], *,
            committed_lsn: int | None = None, upto_lsn: int | None = None,
            upto_changes: int | None = None) -> Batch:
    """One exactly-once step: peek, drop what is already committed, commit, then advance.

    ``committed_lsn`` is the highest ``end_lsn`` a committed manifest records: after a crash
    between a commit and its advance, the slot hands those transactions out again and they are
    skipped here. ``commit`` must make the batch durable (data, then manifest) before returning;
    if it raises, nothing is advanced and the next call reads the same changes.
    """
    batch = reader.peek(upto_lsn=upto_lsn, upto_changes=upto_changes)
    if committed_lsn is not None:
        fresh = [c for c in batch.changes if c.end_lsn > committed_lsn]
        batch = Batch(changes=fresh, transactions=len({c.end_lsn for c in fresh}),
                      end_lsn=batch.end_lsn)
    if batch.changes:
        commit(batch)
    if batch.end_lsn is not None:
        reader.advance(batch.end_lsn)
    return batch


def slot_error(slot: str, exc: psycopg.Error) -> str:
    """The server's reason in one line, plus what to do for the failures an operator can fix."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if "does not exist" in text and "slot" in text:
        return f"replication slot {slot} does not exist: run `pipeline cdc setup` ({text})"
    if "is active for PID" in text:
        return (f"replication slot {slot} is in use by another consumer ({text}); stop it, or "
                "terminate that backend with pg_terminate_backend(<pid>)")
    return f"replication slot {slot}: {text}"
