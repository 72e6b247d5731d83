"""The stacks a CI run should act on, as a GitHub Actions matrix.

Computed from the stack files (deploy, drift) or from two plan files (preview), so a stack made by
``tricloud new-stack`` is previewed, deployed and drift-checked without editing any workflow.
A pull request affects exactly the stacks whose synthesised plan differs: that covers a change to
one stack file and a change to shared code alike, and never previews a stack nothing touched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from config.enums import Environment
from config.stacks import load_all
from tricloud.diff import StackStatus, diff_plans
from tricloud.plan import StackPlan

Entry = dict[str, str]


def from_stack_files(directory: Path, environment: Environment | None = None) -> list[Entry]:
    """Every validated stack (of one environment), by name."""
    return [{"stack": s.name, "cloud": str(s.platform.cloud), "region": s.platform.region,
             "environment": str(s.platform.environment)}
            for s in sorted(load_all(directory), key=lambda s: s.name)
            if environment is None or s.platform.environment is environment]


def affected(base: Iterable[StackPlan], head: Iterable[StackPlan]) -> list[Entry]:
    """HEAD's stacks that are new or whose plan changed (a removed stack has nothing to preview)."""
    plans = {p.stack: p for p in head}
    return [{"stack": s.stack, "cloud": plans[s.stack].cloud, "region": plans[s.stack].region,
             "environment": plans[s.stack].environment}
            for s in diff_plans(base, plans.values()).stacks
            if s.status in (StackStatus.ADDED, StackStatus.CHANGED)]


def github_matrix(entries: list[Entry]) -> str:
    """One line for ``$GITHUB_OUTPUT``; workflows skip the matrix job when ``include`` is empty."""
    return json.dumps({"include": entries}, separators=(",", ":"))
