"""Guardrail tests share the infra tests' session cache: every stack is synthesised once."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from typing import Any

from tests.infra.conftest import ALL_STACKS, synth  # noqa: F401  (the fixture, re-exported)
from tricloud.plan import PlannedResource, StackPlan

DELETE = object()


def edited(resource: PlannedResource, **changes: Any) -> PlannedResource:
    """A copy with inputs changed by dotted path (``DELETE`` removes); options via ``opts``."""
    opts = changes.pop("opts", {})
    inputs = copy.deepcopy(resource.inputs)
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        target = inputs
        for step in parents:
            target = target.setdefault(step, {})
        if value is DELETE:
            target.pop(leaf, None)
        else:
            target[leaf] = value
    return replace(resource, inputs=inputs, **opts)


def swapped(plan: StackPlan, new: PlannedResource) -> StackPlan:
    """The plan with one resource (same URN) replaced."""
    assert any(r.urn == new.urn for r in plan.resources)
    return replace(plan, resources=[new if r.urn == new.urn else r for r in plan.resources])


def first(plan: StackPlan, type_: str, name: str | None = None) -> PlannedResource:
    found = [r for r in plan.of_type(type_) if name is None or r.name == name]
    assert found, f"{plan.stack} has no {type_} {name or ''}"
    return found[0]


def policy_json(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
