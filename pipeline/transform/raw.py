"""Reading the raw zone: only committed batches, every column as text, in batch order.

Raw files may come typed (from the PostgreSQL source) or as all-strings (CSV/JSON exports),
and two batches of the same table may disagree. Normalising every column to text here gives
the SQL one input shape, and typing happens exactly once, with TRY_CAST, where a failure can
be quarantined instead of crashing the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import raw as raw_zone
from pipeline import storage
from pipeline.transform.contract import SourceTable


@dataclass(frozen=True)
class RawBatch:
    """A committed ingest batch: its manifest lists the only files that belong to it."""

    batch_id: str
    files: dict[str, tuple[str, ...]]  # table -> data file URIs
    rows: dict[str, int]


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
        ))
    return sorted(batches, key=lambda b: b.batch_id)


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_string(column.type):
        return column
    if pa.types.is_large_string(column.type) or pa.types.is_dictionary(column.type):
        return pc.cast(pc.cast(column, pa.large_string()), pa.string())
    return pc.cast(column, pa.string())


def text_schema(table: SourceTable) -> pa.Schema:
    """The normalised raw shape: contract columns as text plus the lineage columns."""
    return pa.schema(
        [pa.field(c.name, pa.string()) for c in table.all_columns]
        + [pa.field("_batch_id", pa.string()), pa.field("_seq", pa.int64())]
    )


def read_table(table: SourceTable, batches: list[RawBatch]) -> pa.Table:
    """All rows of one table across ``batches``, as text, tagged with batch id and arrival order.

    ``_seq`` is the row's position in (batch, file, row) order, so "the first copy of a row" is
    well defined when the overlap window makes ingest deliver it twice.
    """
    schema = text_schema(table)
    parts: list[pa.Table] = []
    seq = 0
    for batch in batches:
        for uri in batch.files.get(table.name, ()):
            data = storage.read_parquet(uri)
            n = data.num_rows
            columns = []
            for col in table.all_columns:
                if col.name in data.column_names:
                    columns.append(_as_text(data.column(col.name)))
                else:  # a column the export left out: every row gets a null and is judged on it
                    columns.append(pa.chunked_array([pa.nulls(n, pa.string())]))
            columns.append(pa.chunked_array([pa.array([batch.batch_id] * n, pa.string())]))
            columns.append(pa.chunked_array([pa.array(range(seq, seq + n), pa.int64())]))
            seq += n
            parts.append(pa.Table.from_arrays(columns, schema=schema))
    if not parts:
        return schema.empty_table()
    return pa.concat_tables(parts).combine_chunks()
