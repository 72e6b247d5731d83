"""Everything a reviewer sees for two plans, computed once for the CLI and the docs.

``tricloud diff`` and the worked examples of docs/workflows.md both call ``review`` and render
its result, so the examples in the docs are exactly what the command prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tricloud.cost.estimate import StackDelta, plan_deltas
from tricloud.diff import Finding, PlanDiff, diff_plans, guardrail_findings
from tricloud.impact import DataStoreWarning, data_store_warnings
from tricloud.plan import StackPlan


@dataclass(frozen=True)
class Review:
    diff: PlanDiff
    findings: dict[str, tuple[Finding, ...]] | None  # None: guardrails not run
    warnings: tuple[DataStoreWarning, ...]
    costs: dict[str, StackDelta]

    def text(self) -> str:
        from tricloud.diffrender import render_text

        return render_text(self.diff, self.findings, warnings=self.warnings, costs=self.costs)

    def markdown(self, *, summary_only: bool = False) -> str:
        from tricloud.diffrender import render_markdown

        return render_markdown(self.diff, self.findings, warnings=self.warnings,
                               costs=self.costs, summary_only=summary_only)


def review(base: Sequence[StackPlan], head: Sequence[StackPlan], *,
           guardrails: bool = True) -> Review:
    """The diff, HEAD's guardrail findings, data-store warnings and cost deltas of two plans."""
    findings = None
    if guardrails:
        from tricloud.guardrails import check_plan

        old = {p.stack: check_plan(p) for p in base}
        findings = {p.stack: guardrail_findings(old.get(p.stack, []), check_plan(p))
                    for p in head}
    diff = diff_plans(base, head)
    return Review(diff=diff, findings=findings, warnings=data_store_warnings(base, head, diff),
                  costs=plan_deltas(base, head))
