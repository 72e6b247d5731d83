"""Runner one of the guardrails: judge synthesised stacks or a saved plan, print, set the exit.

``tricloud check`` and ``tricloud plan`` both end here, so a violation reads the same wherever
it is found. Mandatory violations make the exit code 1; advisory ones are printed only.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from tricloud.guardrails import RULES, Severity, Violation, check_plan, failing
from tricloud.guardrails.waivers import WAIVERS
from tricloud.plan import PlanFileError, StackPlan, load


def load_plans(path: Path, stacks: Sequence[str] | None) -> list[StackPlan]:
    """The stacks of a ``tricloud-plan/1`` file, all of them or the named ones."""
    plans = load(path)
    if not stacks:
        return plans
    missing = sorted(set(stacks) - {p.stack for p in plans})
    if missing:
        raise PlanFileError(f"{path} has no stack {', '.join(missing)}; it holds "
                            f"{', '.join(p.stack for p in plans)}")
    return [p for p in plans if p.stack in stacks]


def describe(v: Violation) -> str:
    return (f"  {v.severity.value.upper():<9} {v.rule_id:<22} {v.resource_type} "
            f"{v.resource_name!r}\n      {v.message}")


def report(plans: Sequence[StackPlan], out: TextIO | None = None) -> int:
    """Print each stack's guardrail result; 1 when any mandatory rule is broken, else 0."""
    out = out or sys.stdout
    all_failing: list[Violation] = []
    for plan in plans:
        found = check_plan(plan)
        bad = failing(found)
        advisory = len(found) - len(bad)
        all_failing += bad
        verdict = "ok" if not found else f"{len(bad)} mandatory, {advisory} advisory"
        print(f"guardrails: {plan.stack:<24} {verdict} ({len(RULES)} rules, "
              f"{sum(r.custom for r in plan.resources)} resources)", file=out)
        for v in sorted(found, key=lambda v: (v.severity is not Severity.MANDATORY, v.rule_id)):
            print(describe(v), file=out)
    if all_failing:
        stacks = sorted({v.stack for v in all_failing})
        print(f"guardrails: {len(all_failing)} mandatory violation(s) in {', '.join(stacks)}; "
              "apply each fix above and run `tricloud check` again", file=out)
        return 1
    return 0


def explain(out: TextIO | None = None) -> int:
    """What ``check`` enforces, and what a scanner will flag that the kit accepts, and why."""
    out = out or sys.stdout
    print(f"guardrails enforced ({len(RULES)}):", file=out)
    for rule in RULES:
        print(f"  {rule.severity.value.upper():<9} {rule.id:<22} {rule.title} "
              f"[{', '.join(rule.clouds)}]", file=out)
    print(f"\nscanner rules deliberately not followed ({len(WAIVERS)}):", file=out)
    for w in WAIVERS:
        ids = ", ".join(w.scanner_ids) or "no rule id"
        print(f"  {w.cloud:<6} {ids}: {w.title}\n      applies to: {w.applies_to}\n"
              f"      why: {w.reason}", file=out)
    return 0
