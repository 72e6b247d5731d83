"""The pandas reference computes what the pipeline's transform computes (correctness, no timing).

The benchmark runner refuses to report figures unless the two agree at scale; this checks the
same on a small generated source, over two batches, so history, overlap duplicates and the
quarantine rules are exercised too.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlparse

import psycopg
import pyarrow as pa
import pytest

from benchmarks import compare, pandas_reference
from pipeline import ingest, transform
from pipeline.session import Session
from pipeline.source import mutate
from pipeline.transform import outputs

pytest.importorskip("pandas")


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _check_equal(settings, tmp_path: Path, batch_id: str) -> None:
    out = tmp_path / f"reference-{batch_id}"
    result = pandas_reference.run(_path(settings.raw_uri), out)
    assert result["batch_id"] == batch_id
    processed = [_path(outputs.batch_dir(settings.processed_uri, b))
                 for b in outputs.completed_batches(settings.processed_uri)]
    assert compare.compare_dirs(processed, out) == []


def test_reference_equals_pipeline_over_two_batches(source_url, pipeline_settings, tmp_path):
    first = ingest.run(Session.of(pipeline_settings, source_url=source_url)).details["batch_id"]
    transform.run(Session.of(pipeline_settings))
    _check_equal(pipeline_settings, tmp_path, first)

    with psycopg.connect(source_url) as conn:
        mutate.mutate(conn, seed=7, update_fraction=0.1, new_orders=20)
        mutate.insert_rule_breakers(conn)
    second = ingest.run(Session.of(pipeline_settings, source_url=source_url)).details["batch_id"]
    result = transform.run(Session.of(pipeline_settings))

    assert result.quarantined == 5
    assert result.details["duplicates"] > 0  # the overlap window re-read some rows
    _check_equal(pipeline_settings, tmp_path, second)


def test_compare_names_the_first_difference():
    pipeline = pa.table({"id": pa.array([1, 2], pa.int32()),
                         "amount": pa.array([Decimal("1.00"), Decimal("2.00")],
                                            pa.decimal128(10, 2))})
    reference = pa.table({"id": [2, 1], "amount": [2.0, 1.01]})

    problem = compare.compare_tables("t", pipeline, reference)

    assert problem is not None and problem.startswith("t.amount: 1 rows differ")
    assert compare.compare_tables("t", pipeline, pa.table({"id": [2, 1],
                                                           "amount": [2.0, 1.0]})) is None
