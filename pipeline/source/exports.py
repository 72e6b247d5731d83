"""Table exports dropped into the landing zone: ``<landing>/<table>/<name>.csv|.jsonl|.parquet``.

Some sources can only hand over files. Each file is ingested once (the manifest records which
files a batch consumed, so "already ingested" commits atomically with the data). CSV and JSON
Lines arrive as text and are kept as strings: typing them is the transform's job, where a value
that is not a date can be quarantined instead of failing the whole file here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.json as pjson
import pyarrow.parquet as pq

from pipeline import storage
from pipeline.errors import PipelineError
from pipeline.source.base import Source
from pipeline.source.postgres import first_line
from pipeline.source.tables import NULLABLE, SourceTable

FORMATS = (".csv", ".jsonl", ".parquet")


class ExportsSource(Source):
    """Export files under the landing URI that no committed batch has consumed yet."""

    kind = "exports"

    def __init__(self, landing_uri: str, already_ingested: set[str]) -> None:
        self.landing_uri = landing_uri
        self._done = already_ingested
        self._consumed: dict[str, list[str]] = {}

    def pending(self, table: SourceTable) -> list[str]:
        """New export files of a table, in name order (names usually carry a timestamp)."""
        files = storage.list_files(storage.join(self.landing_uri, table.name))
        out = []
        for uri in files:
            name = uri.rsplit("/", 1)[-1]
            if name.startswith((".", "_")) or uri in self._done:
                continue  # temporary uploads and markers such as _SUCCESS
            if not name.endswith(FORMATS):
                raise PipelineError(f"export file {uri} has an unsupported format; "
                                    f"use one of {', '.join(FORMATS)}")
            out.append(uri)
        return out

    def check(self, tables: Sequence[SourceTable]) -> None:
        """Fail early when the landing zone is unreachable: one lookup, not a listing of every
        file ever dropped there (``storage`` raises a ``StorageError`` naming the URI)."""
        storage.exists(self.landing_uri)

    def read(self, table: SourceTable, since: datetime | None) -> Iterator[pa.RecordBatch]:
        consumed = self._consumed.setdefault(table.name, [])
        for uri in self.pending(table):
            try:
                data = _read_file(uri, table)
            except PipelineError:
                raise
            except (pa.ArrowException, OSError, ValueError) as exc:
                raise PipelineError(f"malformed export {uri}: {first_line(exc)}") from None
            yield from data.to_batches()
            consumed.append(uri)

    def manifest_extras(self, table: SourceTable) -> dict[str, Any]:
        return {"source_files": list(self._consumed.get(table.name, []))}


def already_ingested(manifests: list[dict[str, Any]]) -> set[str]:
    """Export files some committed batch has consumed."""
    return {uri for m in manifests if m.get("source") == ExportsSource.kind
            for entry in m.get("tables", {}).values() for uri in entry.get("source_files", [])}


def _read_file(uri: str, table: SourceTable) -> pa.Table:
    fs, path = storage.resolve(uri)
    if uri.endswith(".parquet"):
        with fs.open_input_file(path) as f:
            data = pq.read_table(f)
    else:
        with fs.open_input_stream(path) as f:
            raw = f.read()
        data = _read_csv(raw, table) if uri.endswith(".csv") else _read_jsonl(raw, uri)
    return _conform(data, table, uri)


def _read_csv(raw: bytes, table: SourceTable) -> pa.Table:
    convert = pcsv.ConvertOptions(column_types={c: pa.string() for c in table.column_names},
                                  strings_can_be_null=True)
    return pcsv.read_csv(pa.py_buffer(raw), convert_options=convert)


def _read_jsonl(raw: bytes, uri: str) -> pa.Table:
    """Arrow's JSON reader first; if a column mixes types (a text in a number column, which a
    rule-breaking row does), fall back to parsing line by line so the row reaches quarantine."""
    try:
        data = pjson.read_json(pa.py_buffer(raw),
                               read_options=pjson.ReadOptions(block_size=max(len(raw), 1 << 20)))
        return pa.table({n: _as_text(c) for n, c in zip(data.column_names, data.columns,
                                                         strict=True)})
    except pa.ArrowInvalid as exc:
        if "changed from" not in str(exc):
            raise
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise PipelineError(f"malformed export {uri}: line {number}: {err.msg}") from None
        if not isinstance(row, dict):
            raise PipelineError(f"malformed export {uri}: line {number} is not a JSON object")
        rows.append({k: None if v is None else _json_text(v) for k, v in row.items()})
    return pa.Table.from_pylist(rows)


def _as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_string(column.type) or pa.types.is_null(column.type):
        return column.cast(pa.string())
    if pa.types.is_boolean(column.type):
        return pc.if_else(column, "true", "false")
    return column.cast(pa.string())


def _json_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


def _conform(data: pa.Table, table: SourceTable, uri: str) -> pa.Table:
    """Contract columns in contract order; absent nullable columns become NULL, other absent
    columns make the file malformed (there is no row key or change time without them)."""
    missing = [c for c in table.column_names if c not in data.column_names]
    required = [c for c in missing if (table.name, c) not in NULLABLE]
    if required:
        raise PipelineError(f"malformed export {uri}: missing column(s) {', '.join(required)}")
    for name in missing:
        data = data.append_column(name, pa.nulls(data.num_rows, pa.string()))
    return data.select(table.column_names)
