"""The compacted state in the processed zone: what a transform needs of the past, and nothing more.

Layout::

    <processed>/state/<batch_id>.json                      manifest: the state as of that batch
    <processed>/state/data/<table>/<kind>-<token>.parquet  files a manifest lists

Per source table the state holds ``current`` (the latest valid version of every id, typed: what
dimensions, aggregates and reference checks read; a base file and the deltas of the batches
since, each delta holding the ids a batch changed, so a batch writes what it changed and the
base is rewritten only every ``COMPACT_AFTER`` batches) and ``seen`` (the version key of every
version ever delivered, valid or not: what the overlap de-duplication reads; each file sorted
by last_updated, so a batch of recent versions skips the older row groups on their
statistics); per aggregate, the aggregate as of the batch, also as a base and the deltas of
the batches that changed it (the groups they changed; a group that is gone has a zero count).
``seen`` only grows, so each batch appends one file (merged into one every ``COMPACT_AFTER``
files). Files are encoded by the engine itself (``COPY ... TO``), never held in Python.

State k = state k-1 + batch k. Data files get fresh names and are never overwritten; the
manifest of batch k is written after all of them and before the batch's ``_SUCCESS.json``, and
a run reads the state of the last *completed* batch. A crash at any point therefore leaves the
previous state intact, and the rerun recomputes batch k from it. A state that is missing or
fails its check is never rebuilt behind the user's back: ``StateError`` names the command.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from pipeline import storage
from pipeline.errors import PipelineError, StorageError

REBUILD_COMMAND = "pipeline rebuild-state"
FORMAT = 3
# Delta (or seen) files per table before they are merged into one: reads stay a few files
# deep, and the merge, which costs the table's size, happens once per this many batches.
COMPACT_AFTER = 8


class StateError(PipelineError):
    """The state of the last completed batch is missing or damaged."""


def manifest_uri(processed_uri: str, batch_id: str) -> str:
    return storage.join(processed_uri, "state", f"{batch_id}.json")


def new_file_uri(processed_uri: str, table: str, kind: str) -> str:
    """A fresh name: a retried batch never overwrites a file an older manifest lists."""
    return storage.join(processed_uri, "state", "data", table, f"{kind}-{secrets.token_hex(8)}"
                        ".parquet")


@dataclass
class State:
    """The files of one state: ``current`` (base, then deltas) and ``seen`` lists per table,
    ``aggregates`` (base, then deltas) per aggregate. ``rows`` counts each file's rows, checked
    on opening."""

    batch_id: str | None = None
    current: dict[str, list[str]] = field(default_factory=dict)
    seen: dict[str, list[str]] = field(default_factory=dict)
    aggregates: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)

    def files(self) -> Iterator[str]:
        for uris in (*self.current.values(), *self.seen.values(), *self.aggregates.values()):
            yield from uris

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "batch_id": self.batch_id, "current": self.current,
                "seen": self.seen, "aggregates": self.aggregates, "rows": self.rows}


def _rebuild_hint(processed_uri: str, batch_id: str, problem: str) -> StateError:
    return StateError(
        f"the transform state of batch {batch_id} at {manifest_uri(processed_uri, batch_id)} "
        f"{problem}; nothing was transformed. Rebuild it from the raw history with "
        f"`{REBUILD_COMMAND}`, then run again")


def load(processed_uri: str, last_batch: str | None) -> State:
    """The state as of ``last_batch`` (the newest completed batch), checked; empty when none."""
    if last_batch is None:
        return State()
    uri = manifest_uri(processed_uri, last_batch)
    try:
        if not storage.exists(uri):
            raise _rebuild_hint(processed_uri, last_batch, "is missing")
        doc = storage.read_json(uri)
        state = State(batch_id=doc["batch_id"],
                      current={t: list(v) for t, v in doc["current"].items()},
                      seen={t: list(v) for t, v in doc["seen"].items()},
                      aggregates={a: [v] if isinstance(v, str) else list(v)
                                  for a, v in doc["aggregates"].items()},
                      rows={k: int(v) for k, v in doc["rows"].items()})
        if doc.get("format") != FORMAT or state.batch_id != last_batch:
            raise ValueError("unexpected format or batch id")
    except StateError:
        raise
    except (StorageError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _rebuild_hint(processed_uri, last_batch, f"cannot be read ({exc})") from None
    for file_uri in state.files():
        found = _row_count(file_uri)
        if found is None or found != state.rows.get(file_uri):
            raise _rebuild_hint(processed_uri, last_batch,
                                f"is damaged: {file_uri} is missing or unreadable"
                                if found is None else
                                f"is damaged: {file_uri} holds {found} rows, "
                                f"the manifest says {state.rows.get(file_uri)}")
    return state


def _row_count(uri: str) -> int | None:
    """Rows in a Parquet file's footer, or None when it is missing or not Parquet."""
    fs, path = storage.resolve(uri)
    try:
        with fs.open_input_file(path) as handle:
            return int(pq.ParquetFile(handle).metadata.num_rows)
    except (OSError, pa.ArrowException):
        return None


def dataset(uris: list[str], schema: pa.Schema | None = None) -> pads.Dataset:
    """The files as one lazy dataset: DuckDB scans it with projection pushdown, reading only
    the columns a query uses, wherever the files lie."""
    if not uris:
        assert schema is not None
        return pads.dataset(schema.empty_table())
    fs, _ = storage.resolve(uris[0])
    return pads.dataset([storage.resolve(u)[1] for u in uris], filesystem=fs, format="parquet",
                        schema=schema)


def write(uri: str, produce: Callable[[str], int], scratch: Path | None = None) -> int:
    """Write a new state file that ``produce(local_path)`` encodes (the engine's ``copy``);
    returns its rows.

    The name is fresh and no manifest lists it yet, so a crash mid-write leaves an orphan that
    nothing reads, never a damaged state.
    """
    try:
        return storage.write_parquet_from(uri, produce, scratch)
    except (OSError, pa.ArrowException) as exc:
        raise StorageError(f"cannot write state file {uri}: {exc}") from exc


def commit(processed_uri: str, state: State) -> None:
    """Write the manifest: from here on this is the state of ``state.batch_id``."""
    assert state.batch_id is not None
    storage.write_json(manifest_uri(processed_uri, state.batch_id), state.to_json())


def discard_superseded(processed_uri: str, before: State, after: State) -> None:
    """Best-effort removal of the files only ``before`` listed, once ``after``'s batch is
    complete: no run reads an older state than the last completed batch's. A leftover is
    harmless (nothing lists it), so a failed delete is not an error."""
    keep = set(after.files())
    doomed = [u for u in before.files() if u not in keep]
    if before.batch_id is not None:
        doomed.append(manifest_uri(processed_uri, before.batch_id))
    for uri in doomed:
        try:
            storage.delete(uri)
        except StorageError:
            return
