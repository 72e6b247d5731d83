"""The plan as a readable tree: type, logical name and the inputs worth a glance."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tricloud.plan import PlannedResource, StackPlan

# Inputs that are noise in a tree (tags are checked by tests and guardrails, not by eye).
_HIDDEN = frozenset({"tags", "tagsAll", "labels", "defaultTags", "defaultLabels", "__defaults",
                     "effectiveLabels", "pulumiLabels"})
_MAX_INPUTS = 6
_MAX_VALUE = 48


def _flatten(inputs: dict[str, Any], prefix: str = "", depth: int = 0) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    for key, value in sorted(inputs.items()):
        if key in _HIDDEN:
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict) and depth < 1:
            pairs += _flatten(value, f"{path}.", depth + 1)
        elif isinstance(value, str | int | float | bool):
            pairs.append((path, value))
    return pairs


def _describe(inputs: dict[str, Any]) -> str:
    shown = []
    for key, value in _flatten(inputs)[:_MAX_INPUTS]:
        text = str(value).replace("\n", " ")
        if len(text) > _MAX_VALUE:
            text = text[: _MAX_VALUE - 1] + "…"
        shown.append(f"{key}={text}")
    return "  ".join(shown)


def render(plan: StackPlan) -> str:
    """One line per resource, indented under its parent, children in URN order."""
    children: dict[str | None, list[PlannedResource]] = defaultdict(list)
    for resource in plan.resources:
        children[resource.parent].append(resource)
    flags = {True: " [protected]", False: ""}
    lines = [f"{plan.stack}  ({plan.cloud} {plan.region}, {plan.environment}): "
             f"{len(plan.resources)} resources"]

    def walk(parent: str | None, indent: str) -> None:
        kids = children.get(parent, [])
        for i, resource in enumerate(kids):
            last = i == len(kids) - 1
            branch = "└─ " if last else "├─ "
            detail = _describe(resource.inputs)
            lines.append(f"{indent}{branch}{resource.type}  {resource.name}"
                         f"{flags[resource.protect]}{'  ' + detail if detail else ''}")
            walk(resource.urn, indent + ("   " if last else "│  "))

    walk(None, "")
    lines.append("outputs:")
    lines += [f"  {k} = {v}" for k, v in sorted(plan.outputs.items())]
    return "\n".join(lines)
