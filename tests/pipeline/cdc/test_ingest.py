"""``TRICLOUD_SOURCE=cdc`` as the ingest stage, against a real server with logical WAL."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import psycopg
import pyarrow as pa

from pipeline.source.cdc import arrow, operations
from pipeline.source.postgres import PostgresSource
from pipeline.source.tables import BY_NAME, TABLES
from tests.pipeline.cdc import e2e
from tests.pipeline.cdc import rawzone as rz
from tests.pipeline.cdc import silent_losses as sl

NAMES = operations.Names()


def test_first_run_copies_the_tables_at_the_slots_consistent_point(
        cdc_source: str, tmp_path: Path) -> None:
    operations.setup(cdc_source, NAMES)  # a slot without snapshot: the first run replaces it
    result = rz.run_ingest(tmp_path, cdc_source)

    [manifest] = rz.manifests(tmp_path)
    info = manifest["cdc"]
    assert manifest["source"] == "cdc" and info["kind"] == "snapshot"
    assert info["start_lsn"] == info["end_lsn"] == info["consistent_lsn"]
    assert result.details["mode"] == "snapshot" and result.details["lag"]["bytes"] >= 0
    with PostgresSource(cdc_source) as source:
        for table in TABLES:
            expected = pa.Table.from_batches(list(source.read(table, None)),
                                             schema=table.schema).to_pylist()
            got = rz.rows(tmp_path, table.name)
            assert [{k: r[k] for k in table.column_names} for r in got] == expected
            assert {(r["cdc_op"], r["cdc_commit_lsn"], r["cdc_ordinal"], r["cdc_xid"])
                    for r in got} == {("insert", info["consistent_lsn"], 0, None)}
            assert rz.read_schema(tmp_path, table.name).remove_metadata() == \
                arrow.schema(table)
    assert result.rows_out == sum(manifest["tables"][t.name]["rows"] for t in TABLES) > 0


def test_the_four_silent_losses_and_a_delete_arrive_as_versions(
        cdc_source: str, tmp_path: Path) -> None:
    operations.setup(cdc_source, NAMES)
    rz.run_ingest(tmp_path, cdc_source)
    e2e.sql(cdc_source, *sl.EDITS)
    result = rz.run_ingest(tmp_path, cdc_source)

    assert result.details["mode"] == "changes"
    assert result.details["transactions"] == sl.TRANSACTIONS
    assert result.details["tables"]["sales_order"] == sl.ORDER_CHANGES
    assert result.details["tables"]["design"] == result.details["tables"]["staff"] == 1
    assert result.rows_out == sl.CHANGES
    snap = {r["sales_order_id"]: r for r in rz.rows(tmp_path, "sales_order", "snapshot")}

    def units(order: int) -> list[tuple[str, int]]:
        return [(op, r["units_sold"])
                for op, r in rz.versions(tmp_path, "sales_order", "sales_order_id", order)]

    assert {i: units(i) for i in sl.UNITS} == \
        {i: [("update", u) for u in us] for i, us in sl.UNITS.items()}
    assert units(sl.DELETED) == [("delete", snap[sl.DELETED]["units_sold"])]
    v1 = rz.versions(tmp_path, "sales_order", "sales_order_id", sl.UNTOUCHED)[0][1]
    assert v1["last_updated"] == snap[sl.UNTOUCHED]["last_updated"]
    v2 = rz.versions(tmp_path, "sales_order", "sales_order_id", sl.BACKWARDS)[0][1]
    assert v2["last_updated"] == snap[sl.BACKWARDS]["last_updated"] - timedelta(days=3)
    same = [r for _, r in rz.versions(tmp_path, "sales_order", "sales_order_id",
                                      sl.ONE_TRANSACTION)]
    assert same[0]["last_updated"] == same[1]["last_updated"]
    assert (same[0]["cdc_commit_lsn"], same[0]["cdc_ordinal"] + 1) == \
        (same[1]["cdc_commit_lsn"], same[1]["cdc_ordinal"])
    # REPLICA IDENTITY FULL: the delete carries the deleted row's last values, not just its key
    deleted = rz.versions(tmp_path, "sales_order", "sales_order_id", sl.DELETED)[0][1]
    assert {k: deleted[k] for k in BY_NAME["sales_order"].column_names} == \
        {k: snap[sl.DELETED][k] for k in BY_NAME["sales_order"].column_names}
    # the dimensions' changes arrive too, whatever their last_updated says
    [(_, design)] = rz.versions(tmp_path, "design", "design_id", 1)
    [(_, staff)] = rz.versions(tmp_path, "staff", "staff_id", 1)
    assert (design["design_name"], staff["first_name"]) == \
        (sl.DESIGN_1_NAME, sl.STAFF_1_FIRST_NAME)
    manifest = rz.manifests(tmp_path)[-1]
    assert manifest["cdc"]["start_lsn"] == rz.manifests(tmp_path)[0]["cdc"]["end_lsn"]
    assert manifest["cdc"]["end_lsn"] > manifest["cdc"]["start_lsn"]
    assert manifest["tables"]["sales_order"]["ops"] == {"update": 6, "delete": 1}

    idle = rz.run_ingest(tmp_path, cdc_source)  # nothing new: no batch, caught up
    assert idle.rows_out == 0 and idle.details["batches"] == [] and "next" in idle.details
    assert len(rz.manifests(tmp_path)) == 2


def test_a_truncate_is_an_event_of_the_manifest_ordered_among_rows(
        cdc_source: str, tmp_path: Path) -> None:
    operations.setup(cdc_source, NAMES)
    rz.run_ingest(tmp_path, cdc_source)
    e2e.sql(cdc_source, "UPDATE payment_type SET payment_type_name = 'X' "
            "WHERE payment_type_id = 1",
            "BEGIN", "TRUNCATE payment_type",
            "INSERT INTO payment_type VALUES (7, 'SALES_RECEIPT', now(), now())", "COMMIT")
    result = rz.run_ingest(tmp_path, cdc_source)

    [event] = rz.manifests(tmp_path)[-1]["cdc"]["truncates"]
    assert result.details["truncates"] == 1
    assert event["table"] == "payment_type" and event["ordinal"] == 0
    after = rz.versions(tmp_path, "payment_type", "payment_type_id", 7)[0][1]
    before = rz.versions(tmp_path, "payment_type", "payment_type_id", 1)[0][1]
    assert before["cdc_commit_lsn"] < event["commit_lsn"] == after["cdc_commit_lsn"]
    assert after["cdc_ordinal"] == 1 and event["commit_time"].endswith("+00:00")


def test_a_transaction_open_across_two_runs_arrives_whole_in_the_second(
        cdc_source: str, tmp_path: Path) -> None:
    operations.setup(cdc_source, NAMES)
    rz.run_ingest(tmp_path, cdc_source)
    with psycopg.connect(cdc_source) as long_running:
        long_running.execute("UPDATE staff SET first_name = 'Long1' WHERE staff_id = 1")
        e2e.sql(cdc_source, "UPDATE staff SET first_name = 'Short' WHERE staff_id = 2")
        first = rz.run_ingest(tmp_path, cdc_source)
        long_running.execute("UPDATE staff SET first_name = 'Long2' WHERE staff_id = 3")
        long_running.commit()
    second = rz.run_ingest(tmp_path, cdc_source)

    assert first.details["tables"]["staff"] == 1 and second.details["tables"]["staff"] == 2
    names = [r["first_name"] for r in rz.rows(tmp_path, "staff", "changes")]
    assert names == ["Short", "Long1", "Long2"]


def test_run_summary_reports_lag_and_warns_past_the_threshold(
        cdc_source: str, tmp_path: Path) -> None:
    operations.setup(cdc_source, NAMES)
    rz.run_ingest(tmp_path, cdc_source)
    e2e.sql(cdc_source, "UPDATE staff SET first_name = 'Lagging' WHERE staff_id = 1")
    stream = io.StringIO()
    from pipeline.runlog import RunLog

    result = rz.run_ingest(tmp_path, cdc_source, RunLog("test", stream=stream),
                           lag_warn_bytes=1)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [warning] = [x for x in lines if x["event"] == "warning"
                 and "when this run started" in x["message"]]
    assert warning["stage"] == "ingest" and warning["lag_bytes"] > 1
    start, end = result.details["lag_at_start"], result.details["lag"]
    assert start["bytes"] > 0 and start["seconds"] >= 0 and end["bytes"] <= start["bytes"]
    assert end["seconds"] == 0.0  # nothing left unread


def test_an_unchanged_toasted_value_is_carried_across_runs(cdc_source: str,
                                                           tmp_path: Path) -> None:
    """The version with the value was read by an earlier run; FULL's old row still has it."""
    import random

    big = random.Random(20).randbytes(10_000).hex()  # incompressible: stored out of line
    operations.setup(cdc_source, NAMES)
    rz.run_ingest(tmp_path, cdc_source)
    e2e.sql(cdc_source, f"UPDATE design SET file_location = '{big}' WHERE design_id = 1")
    rz.run_ingest(tmp_path, cdc_source)
    e2e.sql(cdc_source, "UPDATE design SET design_name = 'renamed' WHERE design_id = 1",
            "DELETE FROM design WHERE design_id = 1")
    rz.run_ingest(tmp_path, cdc_source)

    got = [(op, r["design_name"], r["file_location"] == big)
           for op, r in rz.versions(tmp_path, "design", "design_id", 1)]
    assert got[1:] == [("update", "renamed", True), ("delete", "renamed", True)]
