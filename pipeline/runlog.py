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

from pipeline.redact import redact
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
        """One JSON object on one line; values that are not JSON become strings, and any
        credential a value quotes (an error echoing a URL) is masked."""
        line = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event,
                "run_id": self.run_id, "environment": self.environment, **fields}
        out = self.stream or sys.stderr
        out.write(redact(json.dumps(line, default=str, separators=(",", ":"))) + "\n")
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

    def warning(self, stage: str, message: str, **fields: Any) -> None:
        """Something an operator should act on although the stage goes on (a replication slot
        far behind): its own line, which a failure alarm does not match."""
        self.emit("warning", stage=stage, status="warning", message=message, **fields)

    def summary(self, status: str = "ok") -> dict[str, Any]:
        """The run's row balance: input rows = loaded + quarantined.

        Counts come from what this run's stages did. With a load in the run, the balance is
        over the batches the load completed (their transform verdicts, from each batch's
        ``_SUCCESS.json``): after a crash those include a batch an earlier run transformed.
        Without a load, it is over what the transform judged. Input rows are distinct source
        row versions (raw rows minus overlap duplicates); ``loaded`` those that passed every
        rule, ``quarantined`` those set aside with a reason. ``transformed`` is what this
        run's transform judged, whatever the load did with it.
        """
        by_stage = {r.stage: r for r in self.results}
        fields: dict[str, Any] = {"status": status, "stages": [r.stage for r in self.results]}
        if "ingest" in by_stage:
            fields["raw_rows"] = by_stage["ingest"].rows_out
        transform, load = by_stage.get("transform"), by_stage.get("load")
        if transform is not None:
            fields["transformed"] = transform.rows_in
        counts: dict[str, int] | None = None
        if load is not None and "source_rows" in load.details:
            counts = load.details["source_rows"]
        elif transform is not None:
            counts = {"rows_in": transform.rows_in, "rows_out": transform.rows_out,
                      "quarantined": transform.quarantined,
                      "duplicates": transform.details.get("duplicates", 0)}
        if counts is not None:
            fields.update(input_rows=counts["rows_in"], loaded=counts["rows_out"],
                          quarantined=counts["quarantined"],
                          duplicates=counts.get("duplicates", 0),
                          balanced=counts["rows_in"] == counts["rows_out"]
                          + counts["quarantined"])
        fields["seconds"] = round(sum(r.seconds for r in self.results), 3)
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
