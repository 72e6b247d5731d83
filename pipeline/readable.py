"""How a run's events read on a terminal: one short line each, instead of the JSON object.

The JSON lines carry every detail for the clouds' log pipelines; a person watching a run needs
what started, what finished with how many rows in how long, warnings, and the error last. The
JSON remains one flag away (``--log-format json``) when the details are wanted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pipeline.result import StageResult

_WIDTH = 10  # the longest stage name, "transform", plus one


def _clock() -> str:
    return datetime.now().astimezone().strftime("%H:%M:%S")


def _rows(n: int) -> str:
    return f"{n:,} row" + ("" if n == 1 else "s")


def started(stage: str) -> str:
    return f"{_clock()}  {stage:<{_WIDTH}} started"


def finished(result: StageResult) -> str:
    counts = f"{_rows(result.rows_in)} in, {result.rows_out:,} out"
    if result.quarantined:
        counts += f", {result.quarantined:,} quarantined"
    batch = result.details.get("batch_id")
    where = f", batch {batch}" if isinstance(batch, str) else ""
    return f"{_clock()}  {result.stage:<{_WIDTH}} done in {result.seconds:.1f} s: {counts}{where}"


def failed(stage: str, seconds: float) -> str:
    """The error itself is the CLI's last line; this one says which stage and when."""
    return f"{_clock()}  {stage:<{_WIDTH}} FAILED after {seconds:.1f} s"


def summary(fields: dict[str, Any]) -> str:
    if fields.get("status") != "ok":
        done = ", ".join(fields.get("stages", [])) or "none"
        return f"{_clock()}  run FAILED; stages completed: {done}"
    text = f"{_clock()}  run finished in {fields.get('seconds', 0):.1f} s"
    if "input_rows" in fields:
        balance = "balanced" if fields.get("balanced") else "NOT balanced"
        text += (f": {fields['input_rows']:,} input rows = {fields['loaded']:,} loaded + "
                 f"{fields['quarantined']:,} quarantined ({balance})")
    return text


def warning(stage: str, message: str) -> str:
    return f"{_clock()}  {stage:<{_WIDTH}} warning: {message}"


def event(name: str, fields: dict[str, Any]) -> str:
    """Any other event: its name and its short scalar fields, never a nested structure."""
    shown = [f"{k}={v}" for k, v in fields.items()
             if isinstance(v, str | int | float | bool) and len(str(v)) <= 60]
    return f"{_clock()}  {name}" + (f": {', '.join(shown)}" if shown else "")
