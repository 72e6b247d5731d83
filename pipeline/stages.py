"""What every stage returns, so the CLI can log one line per stage and check the row balance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StageResult:
    """Counts and timing of one stage run.

    ``rows_in`` is what the stage read, ``rows_out`` what it wrote onward and ``quarantined`` the
    rows it set aside with a reason; a stage that neither drops nor duplicates rows keeps
    ``rows_in == rows_out + quarantined``.
    """

    stage: str
    rows_in: int
    rows_out: int
    seconds: float
    quarantined: int = 0
    details: dict[str, Any] = field(default_factory=dict)
