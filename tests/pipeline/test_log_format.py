"""Readable progress on a terminal, structured JSON off one, and the flag that overrides it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.pipeline.emulators import StorageTarget, platform_env
from tests.pipeline.terminal import ROOT, run_on_terminal, screen_lines

CLOCK = r"\d\d:\d\d:\d\d  "
UNREACHABLE = "postgresql://nobody@127.0.0.1:1/nowhere"


def _local_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICLOUD_")}
    return {**env, "TRICLOUD_LOCAL_DIR": str(tmp_path / "local"), **extra}


def _piped(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def _unreachable_source(tmp_path: Path) -> dict[str, str]:
    target = StorageTarget("file", str(tmp_path), tmp_path.as_uri())
    return platform_env(target, UNREACHABLE, "postgresql://etl@127.0.0.1:1/warehouse")


def test_a_terminal_gets_short_readable_lines(tmp_path: Path) -> None:
    code, raw = run_on_terminal("transform", env=_local_env(tmp_path))
    lines = screen_lines(raw)
    assert code == 0
    assert re.fullmatch(CLOCK + r"transform  started", lines[0])
    assert re.fullmatch(CLOCK + r"transform  done in \d+\.\d s: 0 rows in, 0 out", lines[1])
    assert lines[2].startswith("pipeline: nothing to transform")
    assert len(lines) == 3 and all(len(line) < 160 for line in lines)


def test_a_failure_on_a_terminal_names_the_stage_and_ends_with_the_error(tmp_path: Path) -> None:
    code, raw = run_on_terminal("ingest", env=_unreachable_source(tmp_path))
    lines = screen_lines(raw)
    assert code == 1
    assert re.fullmatch(CLOCK + r"ingest     started", lines[0])
    assert re.fullmatch(CLOCK + r"ingest     FAILED after \d+\.\d s", lines[1])
    assert lines[-1].startswith("pipeline: error: ingest failed: cannot connect to source "
                                "database nowhere on 127.0.0.1:1")
    assert not any(line.startswith("{") for line in lines)


def test_json_on_a_terminal_when_asked(tmp_path: Path) -> None:
    code, raw = run_on_terminal("ingest", "--log-format", "json",
                                env=_unreachable_source(tmp_path))
    *events, error = screen_lines(raw)
    assert code == 1 and error.startswith("pipeline: error: ingest failed")
    assert [json.loads(e)["status"] for e in events] == ["failed"]


def test_off_a_terminal_json_unless_text_is_asked_for(tmp_path: Path) -> None:
    env = _local_env(tmp_path)
    default = _piped("transform", env=env).stderr.splitlines()
    flag = _piped("transform", "--log-format", "text", env=env).stderr.splitlines()
    setting = _piped("transform", env={**env, "TRICLOUD_LOG_FORMAT": "text"}).stderr.splitlines()

    event = json.loads(default[0])
    assert (event["event"], event["stage"], event["status"]) == ("stage", "transform", "ok")
    assert {"ts", "run_id", "environment", "details"} <= set(event)
    assert default[1].startswith("pipeline: nothing to transform")
    for lines in (flag, setting):
        assert re.fullmatch(CLOCK + r"transform  started", lines[0])
        assert re.fullmatch(CLOCK + r"transform  done in \d+\.\d s: 0 rows in, 0 out", lines[1])


@pytest.mark.slow
def test_a_whole_run_on_a_terminal_reads_stage_by_stage(
        tmp_path: Path, source_url: str, make_database: Callable[[], str]) -> None:
    target = StorageTarget("file", str(tmp_path), tmp_path.as_uri())
    env = platform_env(target, source_url, make_database())
    code, raw = run_on_terminal("run", "--out", str(tmp_path / "reports"), env=env)
    stage_lines = [line for line in screen_lines(raw) if re.match(CLOCK, line)]

    assert code == 0, raw[-2000:]
    expected = []
    for stage in ("ingest", "transform", "load", "report"):
        expected += [CLOCK + f"{stage:<10} started",
                     CLOCK + f"{stage:<10} done in \\d+\\.\\d s: [\\d,]+ rows? in, [\\d,]+ out.*"]
    expected.append(CLOCK + r"run finished in \d+\.\d s: ([\d,]+) input rows = \1 loaded \+ 0 "
                            r"quarantined \(balanced\)")
    assert len(stage_lines) == len(expected), stage_lines
    for line, pattern in zip(stage_lines, expected, strict=True):
        assert re.fullmatch(pattern, line), (line, pattern)
    assert ", batch " in stage_lines[1]
