"""Ingest from table exports in the landing zone: CSV, JSON Lines and Parquet."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from pipeline import ingest, raw, storage
from pipeline.errors import PipelineError
from pipeline.session import Session
from pipeline.settings import SourceKind
from pipeline.source import generator


@pytest.fixture
def source_tables() -> dict[str, pa.Table]:
    groups = list(generator.generate_tables(5, 120))
    return {**groups[0], **groups[1]}


@pytest.fixture
def settings(pipeline_settings):
    return dataclasses.replace(pipeline_settings, source=SourceKind.EXPORTS)


def _landing(settings, table: str) -> Path:
    folder = Path(settings.landing_uri.removeprefix("file://")) / table
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_jsonl(path: Path, table: pa.Table) -> None:
    lines = (json.dumps(row, default=str) for row in table.to_pylist())
    path.write_text("\n".join(lines) + "\n")


def test_csv_jsonl_and_parquet_are_ingested_once(settings, source_tables):
    pcsv.write_csv(source_tables["currency"], _landing(settings, "currency") / "2024-01.csv")
    pq.write_table(source_tables["sales_order"], _landing(settings, "sales_order") / "a.parquet")
    _write_jsonl(_landing(settings, "payment") / "day1.jsonl", source_tables["payment"])

    first = ingest.run(Session.of(settings))
    assert first.details["source"] == "exports"
    tables = first.details["tables"]
    assert tables["currency"] == 6 and tables["sales_order"] == 120
    assert tables["payment"] == source_tables["payment"].num_rows
    assert tables["staff"] == 0
    [manifest] = raw.committed_batches(settings.raw_uri)
    assert manifest["source"] == "exports"
    assert manifest["tables"]["currency"]["source_files"][0].endswith("currency/2024-01.csv")
    currency = storage.read_parquet(manifest["tables"]["currency"]["files"][0])
    assert currency.schema.field("currency_id").type == pa.string()  # CSV stays text
    assert currency.column("currency_code").to_pylist()[:3] == ["GBP", "USD", "EUR"]
    payments = storage.read_parquet(manifest["tables"]["payment"]["files"][0])
    assert payments.column_names == source_tables["payment"].column_names
    orders = storage.read_parquet(manifest["tables"]["sales_order"]["files"][0])
    assert orders.schema.field("units_sold").type == pa.int32()  # Parquet keeps its types
    assert raw.read_watermarks(settings.raw_uri)["sales_order"] == max(
        source_tables["sales_order"].column("last_updated").to_pylist())

    again = ingest.run(Session.of(settings))
    assert sum(again.details["tables"].values()) == 0
    pcsv.write_csv(source_tables["currency"].slice(0, 2),
                   _landing(settings, "currency") / "2024-02.csv")
    third = ingest.run(Session.of(settings))
    assert third.rows_out == 2 and third.details["tables"]["currency"] == 2


def test_jsonl_with_a_text_in_a_number_column_reaches_raw(settings, source_tables):
    rows = source_tables["sales_order"].slice(0, 3).to_pylist()
    rows[1]["units_sold"] = "lots"
    path = _landing(settings, "sales_order") / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r, default=str) for r in rows) + "\n")
    result = ingest.run(Session.of(settings))
    assert result.details["tables"]["sales_order"] == 3
    [manifest] = raw.committed_batches(settings.raw_uri)
    data = storage.read_parquet(manifest["tables"]["sales_order"]["files"][0])
    assert data.column("units_sold").to_pylist()[1] == "lots"


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("broken.csv", "currency_id,currency_code,created_at,last_updated\n1,GBP\n",
     "malformed export"),
    ("broken.jsonl", '{"currency_id": 1, "currency_code": "GBP"\n', "malformed export"),
    ("nokey.csv", "currency_code,created_at,last_updated\nGBP,2024-01-01,2024-01-01\n",
     "missing column"),
    ("broken.parquet", "this is not parquet", "malformed export"),
    ("notes.txt", "hello", "unsupported format"),
])
def test_malformed_export_names_the_file_and_commits_nothing(settings, source_tables, name,
                                                             content, expected):
    pcsv.write_csv(source_tables["currency"], _landing(settings, "currency") / "good.csv")
    pq.write_table(source_tables["design"], _landing(settings, "design") / "good.parquet")
    (_landing(settings, "payment") / name).write_text(content)
    with pytest.raises(PipelineError) as info:
        ingest.run(Session.of(settings))
    message = str(info.value)
    assert expected in message and f"payment/{name}" in message and "\n" not in message
    assert raw.committed_batches(settings.raw_uri) == []
    assert not storage.exists(raw.watermarks_uri(settings.raw_uri))
    assert storage.list_files(settings.raw_uri, suffix=".parquet") == []
