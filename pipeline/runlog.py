"""Observability: one JSON line per stage on stderr, a run summary, and an optional progress bar.

The JSON lines are what the clouds' log pipelines parse (a failure alarm matches
``"status": "failed"``), so they go to stderr unconditionally and stay one line each. The
progress bar is for humans only: it appears only when stderr is a terminal, never in a
container log.
"""

from __future__ import annotations

import json
import secrets
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from pipeline.stages import StageResult


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass
class RunLog:
    """Writes the structured lines of one pipeline invocation."""

    environment: str
    run_id: str = field(default_factory=new_run_id)
    stream: TextIO | None = None  # None: sys.stderr at write time (pytest swaps it)
    results: list[StageResult] = field(default_factory=list)

    def emit(self, event: str, **fields: Any) -> None:
        """One JSON object on one line; values that are not JSON become strings."""
        line = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event,
                "run_id": self.run_id, "environment": self.environment, **fields}
        out = self.stream or sys.stderr
        out.write(json.dumps(line, default=str, separators=(",", ":")) + "\n")
        out.flush()

    def stage(self, result: StageResult) -> None:
        """Log a finished stage and remember it for the summary."""
        self.results.append(result)
        self.emit("stage", stage=result.stage, status="ok", rows_in=result.rows_in,
                  rows_out=result.rows_out, quarantined=result.quarantined,
                  seconds=round(result.seconds, 3), details=result.details)

    def failed(self, stage: str, seconds: float, error: str) -> None:
        self.emit("stage", stage=stage, status="failed", rows_in=None, rows_out=None,
                  quarantined=None, seconds=round(seconds, 3), error=error)

    def summary(self, status: str = "ok") -> dict[str, Any]:
        """The run's row balance: rows that entered the warehouse path = loaded + quarantined.

        ``input_rows`` is what the transform read (or ingest wrote, when transform did not run);
        ``loaded`` is what load received and ``quarantined`` the rows set aside with a reason.
        """
        by_stage = {r.stage: r for r in self.results}
        first = by_stage.get("transform") or by_stage.get("ingest")
        input_rows = first.rows_in if first and first.stage == "transform" else (
            first.rows_out if first else 0)
        quarantined = sum(r.quarantined for r in self.results)
        load = by_stage.get("load")
        loaded = load.rows_in if load else None
        fields: dict[str, Any] = {
            "status": status, "stages": [r.stage for r in self.results],
            "input_rows": input_rows, "loaded": loaded, "quarantined": quarantined,
            "seconds": round(sum(r.seconds for r in self.results), 3)}
        if loaded is not None:
            fields["balanced"] = input_rows == loaded + quarantined
        self.emit("summary", **fields)
        return fields


@contextmanager
def progress(description: str, total: int | None = None, *,
             stream: TextIO | None = None) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a rich progress bar only when ``stream`` is a terminal.

    Stages call ``advance`` unconditionally; off a terminal it costs one function call.
    """
    out = stream or sys.stderr
    if not out.isatty():
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: Sequence[Any] = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                              MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=out), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)
