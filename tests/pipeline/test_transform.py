"""Transform on the golden dataset: star schema and aggregates as worked out by hand."""

from __future__ import annotations

import pyarrow as pa
import pytest

from pipeline import storage, transform
from pipeline.session import Session
from pipeline.transform import outputs
from pipeline.transform.stage import TransformError
from tests.pipeline import goldendata as g

B1, B2 = "20240301T000000Z", "20240302T000000Z"


@pytest.mark.parametrize("as_strings", [False, True], ids=["typed", "all-strings"])
def test_golden_star_schema_and_aggregates(storage_root: str, as_strings: bool) -> None:
    settings = g.settings_for(storage_root)
    g.write_batch(settings.raw_uri, B1, g.golden(), as_strings=as_strings)

    result = transform.run(Session.of(settings))

    assert (result.rows_in, result.rows_out, result.quarantined) == (31, 31, 0)
    for table, expected in g.EXPECTED.items():
        assert g.processed_rows(settings, B1, table) == expected, table
    assert g.quarantined(settings, B1) == []
    marker = storage.read_json(outputs.success_uri(settings.processed_uri, B1))
    assert marker["outputs"]["fact_payment"] == 4
    assert outputs.completed_batches(settings.processed_uri) == [B1]


def test_second_run_transforms_nothing(storage_root: str) -> None:
    settings = g.settings_for(storage_root)
    g.write_batch(settings.raw_uri, B1, g.golden())
    transform.run(Session.of(settings))

    again = transform.run(Session.of(settings))

    assert (again.rows_in, again.rows_out, again.details["batches"]) == (0, 0, [])


def test_uncommitted_batch_and_unlisted_files_are_ignored(storage_root: str) -> None:
    settings = g.settings_for(storage_root)
    g.write_batch(settings.raw_uri, B1, g.golden())
    stray = g.golden()["sales_order"][:1]
    stray[0]["sales_order_id"] = 50
    # a file in a committed batch folder that the manifest does not list, and a whole batch
    # whose manifest was never written (ingest crashed before committing it)
    storage.write_parquet(
        storage.join(settings.raw_uri, "sales_order", f"batch={B1}", "part-0001.parquet"),
        pa.Table.from_pylist(stray))
    g.write_batch(settings.raw_uri, B2, {"sales_order": stray}, commit=False)

    result = transform.run(Session.of(settings))

    assert result.rows_in == 31
    assert [r[0] for r in g.processed_rows(settings, B1, "fact_sales_order")] == [1, 2, 3]
    assert outputs.completed_batches(settings.processed_uri) == [B1]


@pytest.mark.parametrize("second_as_strings", [False, True], ids=["typed", "string-export"])
def test_history_and_overlap_duplicates(storage_root: str, second_as_strings: bool) -> None:
    """Also: a typed batch followed by an all-strings one still de-duplicates across both."""
    settings = g.settings_for(storage_root)
    data = g.golden()
    g.write_batch(settings.raw_uri, B1, data)
    transform.run(Session.of(settings))
    order_1 = g.updated(data["sales_order"][0], "2024-03-01 10:00:00", units_sold=12)
    design_1 = g.updated(data["design"][0], "2024-03-01 09:00:00", design_name="Oak Chair")
    # the overlap window re-delivers order 2 unchanged: a duplicate, not a new version
    g.write_batch(settings.raw_uri, B2, {"sales_order": [order_1, data["sales_order"][1]],
                                         "design": [design_1]},
                  as_strings=second_as_strings)

    result = transform.run(Session.of(settings))

    assert result.details["rows_read"] == 3
    assert result.details["duplicates"] == 1
    assert (result.rows_in, result.rows_out, result.quarantined) == (2, 2, 0)
    facts = g.processed_rows(settings, B2, "fact_sales_order")
    assert [(r[0], r[3], r[7]) for r in facts] == [(1, g._d("2024-03-01"), 12)]
    # the batch's outputs hold what it changed: the renamed design, not the other designs
    assert g.processed_rows(settings, B2, "dim_design") == [
        (1, "Oak Chair", "/designs", "wooden-chair.json", False)]
    # aggregates use the latest version only: 12 x 2.50 = 30.00 replaces 10 x 2.50, and only
    # the group of order 1 is re-emitted (the unchanged groups stay as loaded)
    assert g.processed_rows(settings, B2, "agg_sales_daily") == [
        (g._d("2024-01-02"), 1, "United Kingdom", "GBP", 1, 12, g.D("30.00")),
    ]
    assert g._d("2024-03-01") in [r[0] for r in g.processed_rows(settings, B2, "dim_date")]


def test_a_batch_older_than_the_last_transformed_one_is_refused(storage_root: str) -> None:
    settings = g.settings_for(storage_root)
    g.write_batch(settings.raw_uri, B2, g.golden())
    transform.run(Session.of(settings))
    g.write_batch(settings.raw_uri, B1, {"currency": g.golden()["currency"]})

    with pytest.raises(TransformError, match="older than the last transformed"):
        transform.run(Session.of(settings))
