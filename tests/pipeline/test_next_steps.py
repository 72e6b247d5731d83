"""A command with nothing to do, or a folder it must not touch, says what to do instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.demo import DEMO_MARKER, DemoFolderError, claim_folder

ROOT = Path(__file__).resolve().parents[2]


def _local(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICLOUD_")}
    env["TRICLOUD_LOCAL_DIR"] = str(tmp_path / "local")
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.mark.parametrize("command", ["ingest", "run"])
def test_an_empty_embedded_source_points_at_seed_and_demo(tmp_path: Path, command: str):
    proc = _local(tmp_path, command)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("pipeline: error: ingest failed: source tables ")
    assert "fill it with synthetic data (`pipeline seed`), try `pipeline demo`" in last


def test_nothing_to_load_or_transform_says_which_command_makes_work(tmp_path: Path):
    transform = _local(tmp_path, "transform")
    load = _local(tmp_path, "load")
    assert (transform.returncode, load.returncode) == (0, 0)
    assert transform.stderr.strip().splitlines()[-1] == (
        "pipeline: nothing to transform: every committed raw batch is transformed; "
        "`pipeline ingest` reads the source's changes into a new one")
    assert load.stderr.strip().splitlines()[-1].startswith(
        "pipeline: nothing to load: every processed batch is already in the warehouse")


def test_the_demo_refuses_a_folder_of_other_runs_and_deletes_nothing(tmp_path: Path):
    (tmp_path / "local" / "raw" / "_batches").mkdir(parents=True)
    kept = tmp_path / "local" / "raw" / "_batches" / "b1.json"
    kept.write_text("{}")

    proc = _local(tmp_path, "demo", "--dir", str(tmp_path / "local"))

    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith(
        f"pipeline: error: {tmp_path / 'local'} holds data of earlier pipeline runs (raw)")
    assert kept.exists() and not (tmp_path / "local" / DEMO_MARKER).exists()


def test_a_demo_folder_is_claimed_once_and_reused(tmp_path: Path):
    folder = tmp_path / "demo"
    claim_folder(folder, reset=False)  # new: claimed
    (folder / "raw").mkdir()
    claim_folder(folder, reset=False)  # the demo's own: started afresh later, no question
    other = tmp_path / "runs"
    (other / "pg").mkdir(parents=True)
    with pytest.raises(DemoFolderError, match=r"\(pg\)"):
        claim_folder(other, reset=False)
    claim_folder(other, reset=True)
    assert (other / DEMO_MARKER).exists()
