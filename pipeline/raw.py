"""The raw zone's layout and commit protocol: the contract between ingest and transform.

    <raw>/<table>/batch=<batch_id>/part-<nnnn>.parquet   data, never overwritten
    <raw>/_batches/<batch_id>.json                       manifest: the commit point (the
                                                         cdc source adds its LSN range)
    <raw>/_state/watermarks.json                         {table: max last_updated seen}

A batch exists only once its manifest does; readers ignore data files no manifest lists, so a
crash mid-ingest leaves nothing visible. Watermarks move only after the manifest is written,
so the worst a crash between the two can do is re-read rows (which the overlap does anyway
and the load de-duplicates).
"""

from __future__ import annotations

import contextvars
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from pipeline import storage
from pipeline.errors import PipelineError, StorageError

BATCHES_DIR = "_batches"
STATE_DIR = "_state"
WATERMARKS_FILE = "watermarks.json"


def new_batch_id(now: datetime | None = None) -> str:
    """Unique and time-sortable: ``YYYYMMDDTHHMMSSffffffZ-<6 hex>``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}"


def manifest_uri(raw_uri: str, batch_id: str) -> str:
    return storage.join(raw_uri, BATCHES_DIR, f"{batch_id}.json")


def watermarks_uri(raw_uri: str) -> str:
    return storage.join(raw_uri, STATE_DIR, WATERMARKS_FILE)


def committed_batches(raw_uri: str) -> list[dict[str, Any]]:
    """Every committed batch manifest, oldest first: what a reader of the raw zone should use."""
    uris = storage.list_files(storage.join(raw_uri, BATCHES_DIR), suffix=".json")
    return [storage.read_json(u) for u in uris]


def latest_manifest(raw_uri: str, source: str) -> dict[str, Any] | None:
    """The newest committed manifest written by ``source``, or None.

    Batch ids sort by time and one source's batches are committed one after another, so the
    newest of its manifests holds its furthest position: reading newest first stops at the
    first match instead of opening every manifest of the history.
    """
    uris = storage.list_files(storage.join(raw_uri, BATCHES_DIR), suffix=".json")
    for uri in sorted(uris, reverse=True):
        manifest = storage.read_json(uri)
        if manifest.get("source") == source:
            return manifest
    return None


def read_watermarks(raw_uri: str) -> dict[str, datetime]:
    uri = watermarks_uri(raw_uri)
    if not storage.exists(uri):
        return {}
    return {t: datetime.fromisoformat(v) for t, v in storage.read_json(uri).items()}


def advance_watermarks(raw_uri: str, seen: dict[str, datetime]) -> dict[str, datetime]:
    """Move each table's watermark to the newest ``last_updated`` seen; never backwards."""
    marks = read_watermarks(raw_uri)
    for table, moment in seen.items():
        if table not in marks or moment > marks[table]:
            marks[table] = moment
    storage.write_json(watermarks_uri(raw_uri), {t: m.isoformat() for t, m in marks.items()})
    return marks


@dataclass
class TableParts:
    """Writes one table's rows of a batch as numbered Parquet parts of bounded size.

    A full part is encoded and written on a thread of its own while the next part's rows
    arrive (Parquet encoding and the source's COPY then run side by side); at most one part is
    in flight, so memory stays at two parts. ``flush`` returns once every part is written, and
    raises a write's failure; ``files`` waits for the part in flight, so a caller discarding an
    unfinished batch also removes the part that was still being written.
    """

    raw_uri: str
    table: str
    batch_id: str
    rows_per_part: int = 1_000_000
    rows: int = 0
    _files: list[str] = field(default_factory=list)
    _pending: list[pa.RecordBatch] = field(default_factory=list)
    _pending_rows: int = 0
    _writing: tuple[str, int, threading.Thread] | None = None
    _failed: BaseException | None = None

    @property
    def files(self) -> list[str]:
        """The parts written so far, and the one in flight (it may have failed: then it does
        not exist, and removing it is a no-op)."""
        self._settle()
        return list(self._files)

    def add(self, batch: pa.RecordBatch) -> None:
        """Buffer a batch; a part is written when full or when the schema changes."""
        if batch.num_rows == 0:
            return
        if self._pending and batch.schema != self._pending[0].schema:
            self._write_pending()
        while batch.num_rows:
            room = self.rows_per_part - self._pending_rows
            self._pending.append(batch.slice(0, room))
            self._pending_rows += min(room, batch.num_rows)
            batch = batch.slice(room)
            if self._pending_rows >= self.rows_per_part:
                self._write_pending()

    def flush(self) -> None:
        """Write what is buffered and wait for every part: after this the parts exist."""
        self._write_pending()
        self._settle()
        self._raise_failure()

    def _raise_failure(self) -> None:
        if self._failed is not None:
            failed, self._failed = self._failed, None
            raise failed

    def _settle(self) -> None:
        if self._writing is None:
            return
        uri, rows, thread = self._writing
        thread.join()
        self._writing = None
        self._files.append(uri)
        if self._failed is None:
            self.rows += rows

    def _write_pending(self) -> None:
        self._settle()
        self._raise_failure()
        if not self._pending:
            return
        uri = storage.join(self.raw_uri, self.table, f"batch={self.batch_id}",
                           f"part-{len(self._files):04d}.parquet")
        if storage.exists(uri):  # ids are unique, so this means a bug, not a race to win
            raise PipelineError(f"refusing to overwrite raw file {uri}")
        data = pa.Table.from_batches(self._pending)
        self._pending, self._pending_rows = [], 0

        def write() -> None:
            try:
                storage.write_parquet(uri, data)
            except BaseException as exc:  # handed to the caller's thread by _raise_failure
                self._failed = exc

        # The storage configuration is a context variable: the thread runs in a copy of ours.
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(write,), daemon=True,
                                  name=f"raw-part-{self.table}")
        self._writing = (uri, data.num_rows, thread)
        thread.start()


def write_manifest(raw_uri: str, batch_id: str, source: str, tables: list[TableParts],
                   table_extras: dict[str, dict[str, Any]] | None = None,
                   extras: dict[str, Any] | None = None) -> str:
    """Commit a batch: after this write its data files exist for every reader. ``extras`` are
    the source's own top-level fields (the cdc source's LSN range and truncates)."""
    entries: dict[str, dict[str, Any]] = {}
    for parts in tables:
        entries[parts.table] = {"files": list(parts.files), "rows": parts.rows,
                                **(table_extras or {}).get(parts.table, {})}
    uri = manifest_uri(raw_uri, batch_id)
    storage.write_json(uri, {"batch_id": batch_id, "created_at": datetime.now(UTC).isoformat(),
                             "source": source, "tables": entries, **(extras or {})})
    return uri


def discard(files: Iterator[str] | list[str]) -> None:
    """Best-effort removal of an uncommitted batch's data files (they are invisible anyway).

    Stops at the first failure: when the store is unreachable every other delete would wait
    out its own retries too, and leftovers are harmless.
    """
    for uri in files:
        try:
            storage.delete(uri)
        except StorageError:
            return
