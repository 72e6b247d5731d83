"""Incremental by design: each batch is transformed against the compacted state, and the
warehouse after any sequence of batches equals a from-scratch run over the same raw batches
(and the pandas reference's full-history recomputation)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from hypothesis import HealthCheck, given, settings

from benchmarks import compare, pandas_reference
from pipeline import storage, transform
from pipeline.session import Session
from pipeline.transform import outputs
from pipeline.transform import state as state_store
from pipeline.transform.stage import rebuild_state
from pipeline.warehouse import load
from tests.pipeline import goldendata as g
from tests.pipeline import incremental_data as data
from tests.pipeline.faults import CRASH_EXIT_CODE

REPO = Path(__file__).resolve().parents[2]
_roots = iter(range(10**9))


def _batch_id(n: int) -> str:
    return f"2024{4 + n // 28:02d}{1 + n % 28:02d}T000000Z"


def _path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def _fresh(tmp_path: Path) -> g.Settings:
    return g.settings_for((tmp_path / f"root{next(_roots)}").as_uri())


@pytest.mark.slow
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=data.SEQUENCES)
def test_warehouse_after_any_batch_sequence_equals_a_from_scratch_run(
        sequence: list[list[data.Op]], tmp_path: Path,
        make_database: Callable[[], str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state_store, "COMPACT_AFTER", 2)  # merge deltas every few batches too
    raw = data.batches(sequence)
    step, scratch = _fresh(tmp_path), _fresh(tmp_path)
    step_url, scratch_url = make_database(), make_database()

    for n, batch in enumerate(raw):  # one run per batch: each reads the state it left
        g.write_batch(step.raw_uri, _batch_id(n), batch)
        transform.run(Session.of(step))
        load.run(Session.of(step, warehouse_url=step_url))
    for n, batch in enumerate(raw):  # from scratch: every batch at once, one load
        g.write_batch(scratch.raw_uri, _batch_id(n), batch)
    transform.run(Session.of(scratch))
    load.run(Session.of(scratch, warehouse_url=scratch_url))

    assert g.checksums(step_url) == g.checksums(scratch_url)
    # and both equal the pandas reference, which recomputes the whole history in one go
    reference = _path(step.processed_uri) / "reference"
    pandas_reference.run(_path(step.raw_uri), reference)
    processed = [_path(outputs.batch_dir(step.processed_uri, b))
                 for b in outputs.completed_batches(step.processed_uri)]
    assert compare.compare_dirs(processed, reference) == []


_CRASH_CHILD = """
import sys
from pipeline.session import Session
from pipeline import transform
from pipeline.transform import state
from tests.pipeline.faults import crash
from tests.pipeline.goldendata import settings_for

original, point, calls = state.write, sys.argv[2], []

def dying_write(uri, produce, scratch=None):
    calls.append(uri)
    if point == "mid-file" and len(calls) == 3:  # half a file under its final name, then killed
        import os
        fs, path = state.storage.resolve(uri)
        fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
        produce(path)
        os.truncate(path, os.path.getsize(path) // 2)
        crash()
    rows = original(uri, produce, scratch)
    if point == "files-written" and "aggregate" in uri:
        crash()
    return rows

state.write = dying_write
if point == "manifest-written":
    commit = state.commit
    def commit_then_die(uri, s):
        commit(uri, s)
        crash()
    state.commit = commit_then_die
transform.run(Session.of(settings_for(sys.argv[1])))
"""


@pytest.mark.slow
@pytest.mark.parametrize("point", ["mid-file", "files-written", "manifest-written"])
def test_killed_while_writing_the_state_the_next_run_ends_like_a_clean_run(
        tmp_path: Path, make_database: Callable[[], str], point: str) -> None:
    raw = data.batches([[("order", 1, 12, 2, 2, 2), ("design", 2, "Elm"),
                         ("address", 1, "France"), ("replay", 3)]])
    crashed, clean = _fresh(tmp_path), _fresh(tmp_path)
    crashed_url, clean_url = make_database(), make_database()
    for settings_ in (crashed, clean):
        g.write_batch(settings_.raw_uri, _batch_id(0), raw[0])
        transform.run(Session.of(settings_))
        g.write_batch(settings_.raw_uri, _batch_id(1), raw[1])
    before = storage.read_json(state_store.manifest_uri(crashed.processed_uri, _batch_id(0)))

    child = subprocess.run(
        [sys.executable, "-c", _CRASH_CHILD, str(Path(_path(crashed.raw_uri)).parent.as_uri()),
         point], cwd=REPO, capture_output=True, text=True, timeout=120)

    assert child.returncode == CRASH_EXIT_CODE, child.stderr
    assert outputs.completed_batches(crashed.processed_uri) == [_batch_id(0)]
    assert storage.read_json(
        state_store.manifest_uri(crashed.processed_uri, _batch_id(0))) == before
    for settings_, url in ((crashed, crashed_url), (clean, clean_url)):
        transform.run(Session.of(settings_))
        load.run(Session.of(settings_, warehouse_url=url))
    assert g.checksums(crashed_url) == g.checksums(clean_url)


def _two_batches(tmp_path: Path) -> g.Settings:
    settings_ = _fresh(tmp_path)
    raw = data.batches([[("order", 2, 7, 1, 1, 1)], [("design", 1, "Pine")]])
    for n in (0, 1):
        g.write_batch(settings_.raw_uri, _batch_id(n), raw[n])
        transform.run(Session.of(settings_))
    g.write_batch(settings_.raw_uri, _batch_id(2), raw[2])
    return settings_


@pytest.mark.parametrize("damage", ["missing manifest", "missing file", "truncated file"])
def test_a_missing_or_damaged_state_fails_naming_the_rebuild_command(
        tmp_path: Path, damage: str) -> None:
    settings_ = _two_batches(tmp_path)
    manifest = state_store.manifest_uri(settings_.processed_uri, _batch_id(1))
    victim = _path(storage.read_json(manifest)["current"]["sales_order"][-1])
    if damage == "missing manifest":
        storage.delete(manifest)
    elif damage == "missing file":
        victim.unlink()
    else:
        victim.write_bytes(victim.read_bytes()[:-100])

    with pytest.raises(state_store.StateError, match="pipeline rebuild-state") as failure:
        transform.run(Session.of(settings_))

    assert _batch_id(1) in str(failure.value)
    assert outputs.completed_batches(settings_.processed_uri) == [_batch_id(0), _batch_id(1)]


def test_rebuild_state_then_run_equals_the_undamaged_pipeline(
        tmp_path: Path, make_database: Callable[[], str]) -> None:
    damaged, intact = _two_batches(tmp_path), _two_batches(tmp_path)
    storage.delete(state_store.manifest_uri(damaged.processed_uri, _batch_id(1)))
    first = [storage.read_parquet(outputs.table_uri(damaged.processed_uri, _batch_id(0), t))
             for t in outputs.OUTPUT_TABLES]

    rebuilt = rebuild_state(Session.of(damaged))

    assert rebuilt.details["batches"] == [_batch_id(0), _batch_id(1)]
    assert [storage.read_parquet(outputs.table_uri(damaged.processed_uri, _batch_id(0), t))
            for t in outputs.OUTPUT_TABLES] == first  # outputs are left alone
    urls = {}
    for settings_ in (damaged, intact):
        transform.run(Session.of(settings_))
        urls[id(settings_)] = make_database()
        load.run(Session.of(settings_, warehouse_url=urls[id(settings_)]))
    assert g.checksums(urls[id(damaged)]) == g.checksums(urls[id(intact)])


def test_the_cli_names_the_rebuild_command_and_runs_it(tmp_path: Path) -> None:
    settings_ = _two_batches(tmp_path)
    storage.delete(state_store.manifest_uri(settings_.processed_uri, _batch_id(1)))
    env = {"PATH": "/usr/bin:/bin", "TRICLOUD_WAREHOUSE_HOST": "127.0.0.1",
           "TRICLOUD_WAREHOUSE_DB": "w", "TRICLOUD_WAREHOUSE_USER": "u",
           "TRICLOUD_SOURCE_URL": "postgresql://nobody@127.0.0.1:1/x",
           "TRICLOUD_RAW_URI": settings_.raw_uri, "TRICLOUD_PROCESSED_URI":
           settings_.processed_uri}

    def pipeline(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=120)

    failed = pipeline("transform")
    assert failed.returncode == 1
    assert "`pipeline rebuild-state`" in failed.stderr.strip().splitlines()[-1]
    assert pipeline("rebuild-state").returncode == 0
    assert pipeline("transform").returncode == 0
    assert outputs.completed_batches(settings_.processed_uri)[-1] == _batch_id(2)
