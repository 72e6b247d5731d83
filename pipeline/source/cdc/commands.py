"""The ``pipeline cdc`` subcommands: run an operation, print its lines, return the exit code.

A source that lacks a prerequisite (an error whose ``exit_code`` is 2: ``PrerequisiteError``,
``ReplicaIdentityError``) exits 2, like bad settings: nothing was attempted and the fix is
configuration; anything else that fails raises for the CLI's usual one-line exit 1.
"""

from __future__ import annotations

import sys
from typing import TextIO

from pipeline.errors import PipelineError
from pipeline.source.cdc import operations
from pipeline.source.cdc.lsn import format_lsn

EXIT_PREREQUISITE = 2


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")


def status_lines(found: operations.SlotStatus | None, names: operations.Names) -> list[str]:
    if found is None:
        return [f"replication slot {names.slot}: not found (run `pipeline cdc setup`)"]
    confirmed = format_lsn(found.confirmed_lsn) if found.confirmed_lsn is not None else "none"
    active = f"in use by pid {found.active_pid}" if found.active_pid else "idle"
    return [f"replication slot {found.slot}: {active}",
            f"last confirmed LSN: {confirmed} (server at {format_lsn(found.current_lsn)})",
            f"lag: {_size(found.lag_bytes)}, {found.lag_seconds:.0f} s behind the oldest "
            "unconfirmed commit",
            f"WAL retained on the source: {_size(found.retained_bytes)}"]


def run(action: str, url: str, names: operations.Names, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr  # looked up per call: tests swap them
    try:
        if action == "setup":
            lines = operations.setup(url, names)
        elif action == "status":
            lines = status_lines(operations.status(url, names), names)
        elif action == "drop":
            lines = operations.drop(url, names)
        else:
            raise ValueError(f"unknown cdc action {action!r}")
    except PipelineError as exc:
        if exc.exit_code != EXIT_PREREQUISITE:
            raise
        print(f"pipeline: error: {exc}", file=err)
        return EXIT_PREREQUISITE
    for line in lines:
        print(line, file=out)
    return 0
