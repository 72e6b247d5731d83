"""Reading the raw zone: only committed batches, in batch order, typed where the files agree.

Raw files may come typed (from the PostgreSQL source) or as all-strings (CSV/JSON exports),
and two batches of the same table may disagree. A column every file delivers with its native
type is kept as it is; any other column is normalised to text, and typing happens exactly
once, with TRY_CAST, where a failure can be quarantined instead of crashing the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline import raw as raw_zone
from pipeline import storage
from pipeline.transform.contract import BOOL, DATE, INT, MONEY, TABLES, TEXT, TS, SourceTable
from pipeline.transform.engine import SqlRunner


@dataclass(frozen=True)
class Truncate:
    """A truncate the change stream saw. It has no row, so the cdc source records it as an
    event of the manifest (``pipeline.source.cdc.rawbatch``)::

        "cdc": {..., "truncates": [{"table": "sales_order", "commit_lsn": 23757,
                                    "ordinal": 2, "commit_time": "2024-03-01T10:00:00+00:00",
                                    ...}]}
    """

    lsn: int
    ordinal: int
    commit_time: datetime  # UTC, naive like the contract's timestamps

    @classmethod
    def from_manifest(cls, entry: dict[str, Any]) -> Truncate:
        moment = datetime.fromisoformat(str(entry["commit_time"]))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return cls(int(entry["commit_lsn"]), int(entry["ordinal"]), moment)


@dataclass(frozen=True)
class RawBatch:
    """A committed ingest batch: its manifest lists the only files that belong to it."""

    batch_id: str
    files: dict[str, tuple[str, ...]]  # table -> data file URIs
    rows: dict[str, int]
    truncates: dict[str, tuple[Truncate, ...]] = field(default_factory=dict)


def _truncates(manifest: dict[str, Any]) -> dict[str, tuple[Truncate, ...]]:
    """The manifest's truncate events by table, in commit order; none for other sources."""
    events: dict[str, list[Truncate]] = {}
    for entry in (manifest.get("cdc") or {}).get("truncates", ()):
        events.setdefault(str(entry["table"]), []).append(Truncate.from_manifest(entry))
    return {t: tuple(v) for t, v in events.items()}


def committed_batches(raw_uri: str) -> list[RawBatch]:
    """Every batch whose manifest exists, oldest first (batch ids sort by time).

    Where the manifests live is ``pipeline.raw``'s business; this only types them.
    """
    batches = []
    for manifest in raw_zone.committed_batches(raw_uri):
        tables = manifest.get("tables", {})
        batches.append(RawBatch(
            batch_id=str(manifest["batch_id"]),
            files={t: tuple(v.get("files", ())) for t, v in tables.items()},
            rows={t: int(v.get("rows", 0)) for t, v in tables.items()},
            truncates=_truncates(manifest),
        ))
    return sorted(batches, key=lambda b: b.batch_id)


def _as_text(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    if pa.types.is_string(column.type):
        return column
    if pa.types.is_large_string(column.type) or pa.types.is_dictionary(column.type):
        return pc.cast(pc.cast(column, pa.large_string()), pa.string())
    return pc.cast(column, pa.string())


# The Arrow type a contract column has when it arrives already typed (the PostgreSQL source
# writes these). Date columns are varchar in the source, so they are always parsed from text.
NATIVE: dict[str, pa.DataType] = {
    INT: pa.int32(), MONEY: pa.decimal128(10, 2), TS: pa.timestamp("us"), BOOL: pa.bool_(),
    TEXT: pa.string(), DATE: pa.string(),
}


# The compacted state's schemas (``state.py``): the typed latest version of each id, and the
# normalised version keys, both as the validation SQL produces them. The latest version also
# says whether it is a delete and where it stands in the change stream (``_lsn``, ``_ord``;
# NULL for a watermark version). Files written before these columns existed read them as NULL:
# not deleted, a watermark version.
STATE_TYPES: dict[str, pa.DataType] = {**NATIVE, DATE: pa.date32()}
CURRENT_SCHEMAS: dict[str, pa.Schema] = {
    t.name: pa.schema([*(pa.field(c.name, STATE_TYPES[c.type]) for c in t.all_columns),
                       ("is_deleted", pa.bool_()), ("_lsn", pa.int64()), ("_ord", pa.int32())])
    for t in TABLES
}
SEEN_SCHEMA = pa.schema([("_k", pa.int64()), ("_kx", pa.string()),
                         ("_lu", pa.timestamp("us")), ("_lux", pa.string()),
                         ("_lsn", pa.int64()), ("_ord", pa.int32())])


# Lineage of every raw row: ``_batch`` is the position of its batch in the run's batch list
# (batch ids sort by time, so positions compare like ids but cost 4 bytes and an integer
# comparison), ``_seq`` its arrival order within the table.
LINEAGE = (pa.field("_batch", pa.int32()), pa.field("_seq", pa.int64()))

# Where a change-stream row came from (``pipeline.source.cdc.arrow``'s ``cdc_*`` columns), kept
# only when a file of the batch has them: ``_op`` ('insert'|'update'|'delete'), ``_lsn`` and
# ``_ord`` (its commit position: the version's identity and order), ``_ctime`` (commit time,
# UTC, as the naive timestamps the contract uses: a delete's last_updated).
ORIGIN = (pa.field("_op", pa.string()), pa.field("_lsn", pa.int64()),
          pa.field("_ord", pa.int32()), pa.field("_ctime", pa.timestamp("us")))
_ORIGIN_SOURCE = {"_op": "cdc_op", "_lsn": "cdc_commit_lsn", "_ord": "cdc_ordinal",
                  "_ctime": "cdc_commit_time"}
LINEAGE_NAMES = frozenset(f.name for f in (*LINEAGE, *ORIGIN))


def _origin(data: pa.Table) -> list[pa.Array | pa.ChunkedArray]:
    """The origin columns of one raw file; NULL for a file the watermark or an export wrote."""
    columns: list[pa.Array | pa.ChunkedArray] = []
    for fld in ORIGIN:
        name = _ORIGIN_SOURCE[fld.name]
        columns.append(pc.cast(data.column(name), fld.type) if name in data.column_names
                       else pa.nulls(data.num_rows, fld.type))
    return columns


@dataclass(frozen=True)
class RawTable:
    """One table's raw rows of a batch, held by the engine as ``raw_<t>``, plus which contract
    columns kept their type.

    A column stays typed only when every file delivered it with its native type: then no value
    can fail to type, and converting it to text and back (the slowest part of a transform at
    scale) would only cost time. A column that any file delivers differently is text
    everywhere, so one version spelled two ways still compares equal after TRY_CAST.
    """

    name: str  # the engine's relation: raw_<table>
    schema: pa.Schema
    typed: frozenset[str]
    # True when the rows come from the change stream: the relation has the ``ORIGIN`` columns.
    changes: bool = False

    def as_text(self, runner: SqlRunner, seqs: pa.Array) -> pa.Table:
        """The rows whose ``_seq`` is in ``seqs`` with every column as text: a quarantine's
        raw values, rendered exactly as the all-text path would have rendered them."""
        runner.register("raw_wanted", pa.table({"_seq": seqs}))
        rows = runner.fetch(f"SELECT r.* FROM {self.name} AS r SEMI JOIN raw_wanted USING (_seq)")
        runner.unregister("raw_wanted")
        return pa.table({name: rows.column(name) if name in LINEAGE_NAMES
                         else _as_text(rows.column(name)) for name in rows.column_names})


# Rows per chunk moved from a raw file into the engine: a chunk is all a file costs in memory.
CHUNK_ROWS = 131_072


def _chunk(data: pa.RecordBatch, table: SourceTable, schema: pa.Schema, typed: frozenset[str],
           changes: bool, seq: int) -> pa.Table:
    """One chunk of a raw file in the table's raw schema, its rows numbered from ``seq``."""
    n = data.num_rows
    columns = []
    for col, fld in zip(table.all_columns, schema, strict=False):
        if col.name not in data.schema.names:  # an export left it out: null, judged as such
            columns.append(pa.nulls(n, fld.type))
        elif col.name in typed:
            columns.append(data.column(col.name))
        else:
            columns.append(_as_text(data.column(col.name)))
    columns.append(pa.array(np.zeros(n, dtype=np.int32)))
    columns.append(pa.array(np.arange(seq, seq + n, dtype=np.int64)))
    if changes:
        columns += _origin(pa.Table.from_batches([data]))
    return pa.Table.from_arrays(columns, schema=schema)


def stage_table(runner: SqlRunner, table: SourceTable, batch: RawBatch) -> RawTable:
    """The batch's rows of one table into the engine as ``raw_<t>``, tagged with their lineage.

    The files are moved a chunk at a time, so the raw batch lives inside the engine's memory
    limit (and spills with it) instead of beside it. ``_batch`` is 0 (a transform takes one
    batch at a time); ``_seq`` is the row's position in (file, row) order, so "the first copy of
    a row" is well defined when the overlap window makes ingest deliver it twice. Columns are
    typed or text as ``RawTable`` explains; only the files' footers decide which.
    """
    files = batch.files.get(table.name, ())
    schemas = [storage.parquet_schema(uri) for uri in files]
    typed = frozenset(
        c.name for c in table.all_columns
        if c.type != DATE and all(
            c.name not in s.names or s.field(c.name).type == NATIVE[c.type] for s in schemas)
    )
    fields = [pa.field(c.name, NATIVE[c.type] if c.name in typed else pa.string())
              for c in table.all_columns]
    changes = any(_ORIGIN_SOURCE["_op"] in s.names for s in schemas) or (
        table.name in batch.truncates)
    schema = pa.schema([*fields, *LINEAGE, *(ORIGIN if changes else ())])
    raw = RawTable(f"raw_{table.name}", schema, typed, changes)
    runner.create(raw.name, schema)
    seq = 0
    for uri in files:
        for data in storage.iter_parquet(uri, CHUNK_ROWS):
            runner.append(raw.name, _chunk(data, table, schema, typed, changes, seq))
            seq += data.num_rows
    return raw
