"""What a stage returns: its own module, so the run log, the session and the list of stages can
all name it without importing one another."""

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
