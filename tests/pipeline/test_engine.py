"""The transform engine's memory limit follows the job's memory, and it spills where told."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.settings import EngineConfig, Settings, SettingsError
from pipeline.transform import engine


def test_the_limit_is_half_the_jobs_memory_from_the_setting() -> None:
    settings = Settings.from_env({"TRICLOUD_MEMORY_MB": "4096"})
    assert settings.engine.memory_mb == 4096
    assert engine.default_memory_limit_mb(settings.engine.memory_mb) == 2048


def test_without_the_setting_the_cgroup_cap_wins_over_the_machine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cap = tmp_path / "memory.max"
    cap.write_text(f"{3 * 2**30}\n")
    monkeypatch.setattr(engine, "_CGROUP_LIMITS", (str(cap),))
    assert engine.default_memory_limit_mb() == 1536
    cap.write_text("max\n")  # cgroup v2 without a cap: the machine's memory decides
    machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert engine.default_memory_limit_mb() == machine // 2 // 2**20


def test_the_runner_applies_the_limit_and_spills_under_the_spill_dir(tmp_path: Path) -> None:
    runner = engine.SqlRunner(threads=1, memory_limit_mb=300, spill_root=tmp_path / "spill")
    try:
        limit = runner.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        spill = runner.con.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
        # a sort far over the limit completes by spilling instead of failing
        runner.materialise("big", "SELECT range AS i, repeat('x', 100) AS pad "
                                  "FROM range(6000000) ORDER BY pad, i DESC")
        assert runner.scalar("SELECT count(*) FROM big") == 6_000_000
    finally:
        runner.close()
    assert limit.replace(" ", "").upper() in ("286.1MIB", "300.0MB", "300MB", "286MIB")
    assert Path(spill).parent == tmp_path / "spill"
    assert list((tmp_path / "spill").iterdir()) == []  # the private folder went with close


@pytest.mark.parametrize("value", ["lots", "12", "-1"])
def test_a_bad_memory_setting_names_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match="TRICLOUD_MEMORY_MB"):
        EngineConfig.from_env({"TRICLOUD_MEMORY_MB": value})
