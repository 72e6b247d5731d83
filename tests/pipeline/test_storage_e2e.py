"""The same end-to-end test on file, S3 (moto), GCS (gcp-storage-emulator) and Azure Blob
(Azurite): `pipeline run` as a platform starts it, and the warehouse equals a clean local run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.pipeline import goldendata as g
from tests.pipeline.emulators import STORES, StorageTarget, events, platform_env, run_pipeline

STAGES = ("ingest", "transform", "load", "report")


def _assert_ok_run(proc: Any) -> dict[str, Any]:
    assert proc.returncode == 0, proc.stderr[-3000:]
    logged = events(proc)
    assert [(e["stage"], e["status"]) for e in logged if e["event"] == "stage"] == \
        [(s, "ok") for s in STAGES]
    (summary,) = [e for e in logged if e["event"] == "summary"]
    assert summary["status"] == "ok" and summary["balanced"]
    return {e["stage"]: e for e in logged if e["event"] == "stage"}


@pytest.mark.slow
@pytest.mark.parametrize("storage_target", STORES, indirect=True)
def test_pipeline_end_to_end_on_every_storage(
        storage_target: StorageTarget, source_url: str, make_database: Callable[[], str],
        clean_warehouse: dict[str, tuple[int, str]], tmp_path: Path) -> None:
    warehouse = make_database()
    env = platform_env(storage_target, source_url, warehouse)

    first = _assert_ok_run(run_pipeline("run", "--out", str(tmp_path / "report"), env=env))

    assert first["ingest"]["rows_out"] > 0 and first["load"]["rows_out"] > 0
    assert g.checksums(warehouse) == clean_warehouse
    assert (tmp_path / "report" / "report.html").is_file()
    objects = storage_target.objects()
    assert [o for o in objects if o.startswith("raw/_batches/")] == \
        [f"raw/_batches/{first['ingest']['details']['batch_id']}.json"]
    assert "raw/_state/watermarks.json" in objects
    assert sum(o.endswith("/_SUCCESS.json") for o in objects) == 1
    assert not [o for o in objects if "/.tmp-" in o or o.endswith("/")]

    second = _assert_ok_run(run_pipeline("run", "--out", str(tmp_path / "report"), env=env))

    assert second["ingest"]["rows_out"] < first["ingest"]["rows_out"]  # only the overlap
    assert g.checksums(warehouse) == clean_warehouse  # a rerun adds nothing
    assert sum(o.endswith("/_SUCCESS.json") for o in storage_target.objects()) == 2
