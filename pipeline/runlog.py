"""Observability: one line per stage event on stderr, a run summary, and a progress bar.

Off a terminal each line is one JSON object: what the clouds' log pipelines parse (a failure
alarm matches ``"status": "failed"``). On a terminal the same events are short readable lines
(``pipeline.readable``) and long steps draw a progress bar. ``--log-format`` (or
``TRICLOUD_LOG_FORMAT``) overrides the choice: ``json`` for structured logs on a terminal,
``text`` for readable lines off one.
"""

from __future__ import annotations

import json
import secrets
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from pipeline import readable
from pipeline.redact import redact
from pipeline.result import StageResult
from pipeline.settings import LogFormat


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass
class RunLog:
    """Writes the structured lines of one pipeline invocation."""

    environment: str
    run_id: str = field(default_factory=new_run_id)
    stream: TextIO | None = None  # None: sys.stderr at write time (pytest swaps it)
    results: list[StageResult] = field(default_factory=list)
    log_format: LogFormat = LogFormat.AUTO

    @property
    def out(self) -> TextIO:
        return self.stream or sys.stderr

    @property
    def readable(self) -> bool:
        """Readable lines rather than JSON: asked for, or ``auto`` on a terminal."""
        if self.log_format is LogFormat.AUTO:
            return self.out.isatty()
        return self.log_format is LogFormat.TEXT

    def _write(self, text: str) -> None:
        self.out.write(redact(text) + "\n")
        self.out.flush()

    def emit(self, event: str, text: str | None = None, **fields: Any) -> None:
        """One event on one line: ``text`` (or a generic rendering) when readable, else one
        JSON object whose values that are not JSON become strings. Any credential a value
        quotes (an error echoing a URL) is masked either way."""
        if self.readable:
            self._write(text if text is not None else readable.event(event, fields))
            return
        line = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event,
                "run_id": self.run_id, "environment": self.environment, **fields}
        self._write(json.dumps(line, default=str, separators=(",", ":")))

    def started(self, stage: str) -> None:
        """Readable only: a person sees what is running; the JSON log has one line per stage."""
        if self.readable:
            self._write(readable.started(stage))

    def stage(self, result: StageResult) -> None:
        """Log a finished stage and remember it for the summary."""
        self.results.append(result)
        self.emit("stage", readable.finished(result), stage=result.stage, status="ok",
                  rows_in=result.rows_in, rows_out=result.rows_out,
                  quarantined=result.quarantined, seconds=round(result.seconds, 3),
                  details=result.details)

    def failed(self, stage: str, seconds: float, error: str) -> None:
        """A failed stage; readable, the error itself is left to the CLI's last line."""
        self.emit("stage", readable.failed(stage, seconds), stage=stage, status="failed",
                  rows_in=None, rows_out=None, quarantined=None, seconds=round(seconds, 3),
                  error=error)

    def progress(self, description: str,
                 total: int | None = None) -> AbstractContextManager[Callable[[int], None]]:
        """A progress bar for a long step, drawn only when readable and on a terminal."""
        return progress(description, total, stream=self.out, enabled=self.readable)

    def warning(self, stage: str, message: str, **fields: Any) -> None:
        """Something an operator should act on although the stage goes on (a replication slot
        far behind): its own line, which a failure alarm does not match."""
        self.emit("warning", readable.warning(stage, message), stage=stage, status="warning",
                  message=message, **fields)

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
        self.emit("summary", readable.summary(fields), **fields)
        return fields


@contextmanager
def progress(description: str, total: int | None = None, *, stream: TextIO | None = None,
             enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a rich progress bar only when ``enabled`` and ``stream`` is
    a terminal (a bar between JSON lines would garble them).

    Stages call ``advance`` unconditionally; without a bar it costs one function call.
    """
    out = stream or sys.stderr
    if not (enabled and out.isatty()):
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
