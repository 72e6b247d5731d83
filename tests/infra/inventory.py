"""Inventory tables: each stack's resource types and counts, checked in beside its cloud's tests.

A change to what a stack declares then shows up in review as a diff of that table. When the
change is intended, rewrite a cloud's table (the block between the markers) with:

    .venv/bin/python -m tests.infra.test_<cloud>_inventory
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from tricloud.plan import StackPlan

_BLOCK = re.compile(r"(# BEGIN INVENTORY[^\n]*\n).*?(\n# END INVENTORY)", re.DOTALL)


def inventory(plan: StackPlan) -> dict[str, int]:
    return dict(sorted(Counter(r.type for r in plan.resources).items()))


def render(tables: dict[str, dict[str, int]]) -> str:
    lines = ["EXPECTED: dict[str, dict[str, int]] = {"]
    for stack, table in sorted(tables.items()):
        lines.append(f'    "{stack}": {{')
        lines += [f'        "{type_}": {count},' for type_, count in table.items()]
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines)


def regenerate(module_file: str, stacks: list[str]) -> None:
    """Synthesise ``stacks`` and rewrite the EXPECTED block of the given test module."""
    from tests.infra.conftest import _synth

    path = Path(module_file)
    tables = {stack: inventory(_synth(stack)) for stack in stacks}
    path.write_text(_BLOCK.sub(lambda m: m[1] + render(tables) + m[2], path.read_text(), count=1))
    print(f"wrote the inventory of {', '.join(tables)} to {path}", file=sys.stderr)


def assert_matches(plan: StackPlan, expected: dict[str, dict[str, int]], module: str) -> None:
    """Compare a stack's inventory with its checked-in table, naming what changed."""
    assert plan.stack in expected, f"{plan.stack} has no inventory: run python -m {module}"
    actual, table = inventory(plan), expected[plan.stack]
    changed = {t: (table.get(t, 0), n) for t, n in actual.items() if table.get(t) != n}
    changed |= {t: (n, 0) for t, n in table.items() if t not in actual}
    assert not changed, (f"{plan.stack} changed (type: (expected, now)): {changed}; "
                         f"if intended, run: python -m {module}")
