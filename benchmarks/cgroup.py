"""A memory cgroup for one step: the same kind of cap a container job runs under.

ECS Fargate, Cloud Run and Container Apps limit a job's memory with a cgroup: resident memory
(and page cache, which the kernel reclaims first) counts, reserved address space does not, and
a job past its limit is killed by the kernel (SIGKILL). Where this machine lets us create a
memory cgroup (cgroup v1's memory controller, or v2 with memory delegated), the capped step runs
inside one; elsewhere the caller falls back to an address-space cap, which is stricter.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

# cgroup v1's memory hierarchy, then the v2 unified one; each with its limit file.
_ROOTS = ((Path("/sys/fs/cgroup/memory"), "memory.limit_in_bytes"),
          (Path("/sys/fs/cgroup"), "memory.max"))


def _make(limit_bytes: int) -> Path | None:
    for root, limit_file in _ROOTS:
        if not (root / limit_file).exists() and not (root / "cgroup.subtree_control").exists():
            continue
        group = root / f"tricloud-bench-{uuid.uuid4().hex[:8]}"
        try:
            group.mkdir()
        except OSError:
            continue
        try:
            (group / limit_file).write_text(str(limit_bytes))
            swap = group / "memory.swap.max"  # v2: no swap, so the limit is on memory alone
            if swap.exists():
                swap.write_text("0")
            return group
        except OSError:
            group.rmdir()
    return None


@contextlib.contextmanager
def memory_cgroup(limit_bytes: int) -> Iterator[Path | None]:
    """A fresh memory cgroup limited to ``limit_bytes``, or None where none can be made; it is
    removed on exit (its processes are gone by then)."""
    group = _make(limit_bytes)
    try:
        yield group
    finally:
        if group is not None:
            with contextlib.suppress(OSError):
                group.rmdir()


def enter_command(group: Path, cmd: list[str]) -> list[str]:
    """``cmd`` started inside ``group``: the shell moves itself in, then becomes the command, so
    the step's process is in the cgroup from its first instruction."""
    return ["/bin/sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', str(group), *cmd]


def available() -> bool:
    """True when a memory cgroup can be made here (probes by making and removing one)."""
    with memory_cgroup(2**30) as group:
        return group is not None and os.access(group / "cgroup.procs", os.W_OK)
