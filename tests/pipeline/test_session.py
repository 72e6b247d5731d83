"""One stage shape: the CLI and the demo run the same stages over one session, and the run
summary counts what this run's stages did, also when the load resumes after a crash."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from pipeline.runlog import RunLog
from pipeline.session import Session, StageFailed
from pipeline.stages import STAGES, StageResult, run_stages
from pipeline.warehouse import load
from tests.pipeline import goldendata as g

B1 = "20240301T000000Z"
PIPELINE = STAGES[1:3]  # transform, load: the golden batch is written straight to the raw zone


def _summaries(stream: io.StringIO) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [e for e in lines if e["event"] == "summary"]


def test_cli_and_demo_share_one_list_of_stages() -> None:
    from pipeline import cli, demo

    assert [s.name for s in STAGES] == ["ingest", "transform", "load", "report"]
    assert demo.STAGES is STAGES
    assert not hasattr(cli, "Context")
    assert all(callable(s.run) for s in STAGES)


def test_summary_after_a_crash_resumed_load_counts_what_this_run_loaded(
        storage_root: str, make_database: Callable[[], str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    settings, url = g.settings_for(storage_root), make_database()
    g.write_batch(settings.raw_uri, B1, g.golden())
    stream = io.StringIO()
    session = Session.of(settings, warehouse_url=url, log=RunLog("test", stream=stream))
    original = load._load_table

    def dies_on_facts(conn: Any, batch_id: str, table: str, data: Any) -> int | None:
        if table == "fact_sales_order":
            raise RuntimeError("the job was stopped")
        return original(conn, batch_id, table, data)

    monkeypatch.setattr(load, "_load_table", dies_on_facts)
    with pytest.raises(StageFailed, match="load failed: RuntimeError: the job was stopped"):
        run_stages(session, PIPELINE)
    monkeypatch.setattr(load, "_load_table", original)

    resumed: dict[str, StageResult] = run_stages(session, PIPELINE)

    failed, summary = _summaries(stream)
    assert failed["status"] == "failed"
    assert resumed["transform"].rows_in == 0  # the batch was transformed by the first run
    assert resumed["load"].rows_out > 0
    assert summary["status"] == "ok" and summary["transformed"] == 0
    assert (summary["input_rows"], summary["loaded"], summary["quarantined"]) == (31, 31, 0)
    assert summary["balanced"]
    assert g.fetch(url, "SELECT count(*) FROM warehouse.fact_sales_order") == [(3,)]
