"""Inventory tables, checked in beside each cloud's tests: each stack's resource types and counts,
and the values of its security-relevant inputs (the way fabric's ``values:`` pin them).

A change to what a stack declares, or to a default that protects it, then shows up in review as
a diff of those tables. When the change is intended, rewrite a cloud's tables (the blocks
between the markers) with:

    .venv/bin/python -m tests.infra.test_<cloud>_inventory
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tricloud.guardrails.read import dig
from tricloud.plan import StackPlan

_BLOCK = re.compile(r"(# BEGIN INVENTORY[^\n]*\n).*?(\n# END INVENTORY)", re.DOTALL)
_VALUES_BLOCK = re.compile(r"(# BEGIN VALUES[^\n]*\n).*?(\n# END VALUES)", re.DOTALL)
# Which inputs to pin: resource type -> dotted input paths (numbers step into lists).
Pinned = Mapping[str, Sequence[str]]


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


def pinned_values(plan: StackPlan, pinned: Pinned) -> dict[str, Any]:
    """``"<type> <name> <path>"`` -> the input's value, for every pinned path of every resource."""
    out: dict[str, Any] = {}
    for r in plan.resources:
        for path in pinned.get(r.type, ()):
            key = f"{r.type.split(':', 1)[1]} {r.name} {path}"
            if key in out:
                raise ValueError(f"{plan.stack}: two resources pin {key}")
            out[key] = dig(r.inputs, path)
    return dict(sorted(out.items()))


def render_values(tables: dict[str, dict[str, Any]]) -> str:
    lines = ["VALUES: dict[str, dict[str, object]] = {"]
    for stack, table in sorted(tables.items()):
        lines.append(f'    "{stack}": {{')
        for key, value in table.items():
            literal = json.dumps(value) if isinstance(value, str) else repr(value)
            line = f'        "{key}": {literal},'
            lines.append(line if len(line) <= 100 else f"{line}  # noqa: E501")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines)


def regenerate(module_file: str, stacks: list[str], pinned: Pinned) -> None:
    """Synthesise ``stacks`` and rewrite the EXPECTED and VALUES blocks of the test module."""
    from tests.infra.conftest import _synth

    path = Path(module_file)
    plans = {stack: _synth(stack) for stack in stacks}
    tables = {stack: inventory(plan) for stack, plan in plans.items()}
    values = {stack: pinned_values(plan, pinned) for stack, plan in plans.items()}
    text = _BLOCK.sub(lambda m: m[1] + render(tables) + m[2], path.read_text(), count=1)
    text = _VALUES_BLOCK.sub(lambda m: m[1] + render_values(values) + m[2], text, count=1)
    path.write_text(text)
    print(f"wrote the inventory and values of {', '.join(tables)} to {path}", file=sys.stderr)


def assert_matches(plan: StackPlan, expected: dict[str, dict[str, int]], module: str) -> None:
    """Compare a stack's inventory with its checked-in table, naming what changed."""
    assert plan.stack in expected, f"{plan.stack} has no inventory: run python -m {module}"
    actual, table = inventory(plan), expected[plan.stack]
    changed = {t: (table.get(t, 0), n) for t, n in actual.items() if table.get(t) != n}
    changed |= {t: (n, 0) for t, n in table.items() if t not in actual}
    assert not changed, (f"{plan.stack} changed (type: (expected, now)): {changed}; "
                         f"if intended, run: python -m {module}")


def assert_values(plan: StackPlan, expected: dict[str, dict[str, Any]], pinned: Pinned,
                  module: str) -> None:
    """Compare a stack's pinned input values with its checked-in table, naming what changed."""
    assert plan.stack in expected, f"{plan.stack} has no pinned values: run python -m {module}"
    actual, table = pinned_values(plan, pinned), expected[plan.stack]
    changed = {k: (table.get(k), v) for k, v in actual.items()
               if k not in table or repr(table[k]) != repr(v)}
    changed |= {k: (v, "(absent)") for k, v in table.items() if k not in actual}
    assert not changed, (f"{plan.stack} pinned values changed (key: (expected, now)): "
                         f"{changed}; if intended, run: python -m {module}")
