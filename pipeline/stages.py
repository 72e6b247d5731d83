"""The stages of a pipeline run, in order, and what each returns.

Every stage is ``run(session) -> StageResult`` over one ``pipeline.session.Session``; ``STAGES``
is the one list that ``pipeline run``, the single-stage commands and ``pipeline demo`` all use.
A stage's module is imported only when it runs, so ``pipeline --help`` stays instant and this
module imports no stage (the stages import ``StageResult`` from here, which is
``pipeline.result``'s).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.result import StageResult

if TYPE_CHECKING:
    from pipeline.session import Session, Stage

__all__ = ["REBUILD_STATE", "STAGES", "STAGES_BY_NAME", "ModuleStage", "StageResult", "run_stages"]


@dataclass(frozen=True)
class ModuleStage:
    """A pipeline stage: ``module.function(session) -> StageResult``."""

    name: str
    module: str
    function: str = "run"

    def run(self, session: Session) -> StageResult:
        result: StageResult = getattr(importlib.import_module(self.module), self.function)(
            session)
        return result


STAGES: tuple[Stage, ...] = (
    ModuleStage("ingest", "pipeline.ingest"),
    ModuleStage("transform", "pipeline.transform"),
    ModuleStage("load", "pipeline.warehouse.load"),
    ModuleStage("report", "pipeline.report"),
)
# Not part of a run: recomputes the transform's compacted state from the raw history when the
# transform reports it missing or damaged.
REBUILD_STATE = ModuleStage("rebuild-state", "pipeline.transform.stage", "rebuild_state")
STAGES_BY_NAME: dict[str, Stage] = {s.name: s for s in (*STAGES, REBUILD_STATE)}


def run_stages(session: Session, stages: Sequence[Stage] = STAGES,
               on_result: Callable[[StageResult], None] | None = None) -> dict[str, StageResult]:
    """Run ``stages`` in order and always log the run's summary, ``ok`` or ``failed``.

    The summary covers this call's stages only: the run log forgets earlier runs' results.
    """
    log = session.run_log
    log.results.clear()
    results: dict[str, StageResult] = {}
    status = "failed"
    try:
        for stage in stages:
            results[stage.name] = session.run_stage(stage)
            if on_result is not None:
                on_result(results[stage.name])
        status = "ok"
    finally:
        log.summary(status)
    return results
