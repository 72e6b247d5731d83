"""The benchmark's job-sized cap: a memory cgroup kills a step past its limit, as a job's does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.cgroup import enter_command, memory_cgroup

# Touches every page of ``mb`` megabytes, so the memory is resident, not just reserved.
_GROW = ("import sys; b = bytearray({mb} * 2**20); "
         "[b.__setitem__(i, 1) for i in range(0, len(b), 4096)]; print('kept', {mb})")


def _run_in(group: Path, mb: int) -> subprocess.CompletedProcess[str]:
    cmd = enter_command(group, [sys.executable, "-c", _GROW.format(mb=mb)])
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def test_a_step_past_the_limit_is_killed_and_one_under_it_finishes() -> None:
    with memory_cgroup(256 * 2**20) as group:
        if group is None:
            pytest.skip("this machine lets no process create a memory cgroup; the benchmark "
                        "falls back to an address-space cap")
        under = _run_in(group, 64)
        over = _run_in(group, 512)
    assert under.returncode == 0 and under.stdout.strip() == "kept 64"
    assert over.returncode == -9, over.stderr  # the kernel's OOM kill, as a job would get
    assert not group.exists()
