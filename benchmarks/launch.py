"""Starting one measured step (``benchmarks.stage``) in a fresh interpreter, and reading its line.

A step under a cap (a memory cgroup, or ``--memory-gb``: its address space) that runs out of it
is recorded as
``out_of_memory`` instead of failing the run, so one size too big for one step does not lose
every other figure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.cgroup import enter_command

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# What a process that ran out of its address space leaves on stderr: Python's, Arrow's,
# DuckDB's and the C++ allocator's words for it (or a signal, when an allocator aborts).
_OUT_OF_MEMORY = ("MemoryError", "bad_alloc", "Cannot allocate memory", "Out of Memory")


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class StepFailedError(RuntimeError):
    """A step's process failed; ``returncode`` and ``stderr`` tell how."""

    def __init__(self, name: str, returncode: int, stderr: str) -> None:
        super().__init__(f"step {name} failed:\n{stderr[-4000:]}")
        self.returncode = returncode
        self.stderr = stderr

    def looks_out_of_memory(self) -> bool:
        return self.returncode < 0 or any(word in self.stderr for word in _OUT_OF_MEMORY)


def step(name: str, *args: str, size_dir: Path | None = None,
         env: dict[str, str] | None = None, cgroup: Path | None = None) -> dict[str, Any]:
    """Run one measured step in a fresh interpreter (``env`` added to this one's environment,
    inside memory cgroup ``cgroup`` if given) and return its JSON line."""
    cmd = [sys.executable, "-m", "benchmarks.stage", name, *args]
    if size_dir is not None:
        cmd += ["--dir", str(size_dir)]
    if cgroup is not None:
        cmd = enter_command(cgroup, cmd)
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})})
    if done.returncode != 0:
        raise StepFailedError(name, done.returncode, done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 3)
    if result.get("out_of_memory"):
        say(f"  {name}: did not finish within {result['memory_gb']:g} GB")
        return result
    say(f"  {name}: {result['seconds']:.1f} s, {result['rows']:,} rows, "
        f"peak {result['peak_rss_mb']:.0f} MB")
    return result


# How a step was capped, as the report words it.
CGROUP_CAP = "memory cgroup"
ADDRESS_CAP = "address space"


def capped_step(name: str, memory_gb: float, size_dir: Path,
                env: dict[str, str] | None = None, *, cgroup: Path | None = None,
                ) -> dict[str, Any]:
    """``step`` capped at ``memory_gb``: inside ``cgroup`` (a memory cgroup already limited to
    it, the kind of cap a container job has) or else with its address space capped. Running
    out gives ``out_of_memory`` (with the return code) instead of an error."""
    cap = CGROUP_CAP if cgroup is not None else ADDRESS_CAP
    args = () if cgroup is not None else ("--memory-gb", str(memory_gb))
    try:
        result = step(name, *args, size_dir=size_dir, env=env, cgroup=cgroup)
    except StepFailedError as exc:
        if not memory_gb or not exc.looks_out_of_memory():
            raise
        say(f"  {name}: did not finish within {memory_gb:g} GB ({cap})")
        return {"rows": 0, "seconds": 0.0, "peak_rss_mb": 0.0, "out_of_memory": True,
                "memory_gb": memory_gb, "cap": cap, "returncode": exc.returncode,
                "error": [line for line in exc.stderr.splitlines()
                          if any(word in line for word in _OUT_OF_MEMORY)][-3:]}
    result.update(memory_gb=memory_gb, cap=cap)
    return result
