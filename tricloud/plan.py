"""The offline plan: what a synthesised stack declares, and its stable JSON format.

Format ``tricloud-plan/1`` (documented in docs/platforms.md): one document with the stacks in name
order; each stack has its resources in URN order with their inputs (secrets replaced by
``"[secret]"``) and its exported outputs. Keys are sorted and nothing depends on time or
randomness, so the same commit always produces byte-identical JSON and two commits can be
diffed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FORMAT = "tricloud-plan/1"
SECRET = "[secret]"
UNKNOWN = "[unknown]"


@dataclass(frozen=True)
class PlannedResource:
    """One declared resource, as the engine would receive it."""

    urn: str
    type: str
    name: str
    parent: str | None
    custom: bool
    provider: str | None
    protect: bool
    retain_on_delete: bool
    inputs: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    id: str | None = None  # the offline id (None for components); the diff traces causes by it


@dataclass(frozen=True)
class StackPlan:
    """Everything one stack declares and exports."""

    stack: str
    cloud: str
    region: str
    environment: str
    resources: list[PlannedResource]
    outputs: dict[str, Any]
    # The stack config's usage assumptions and schedule, for cost estimates of either side.
    usage: dict[str, Any] = field(default_factory=dict)

    def of_type(self, type_: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str) -> PlannedResource:
        """The single resource of a type; fails loudly when there are none or several."""
        found = self.of_type(type_)
        if len(found) != 1:
            raise LookupError(f"{self.stack}: expected one {type_}, found {len(found)}")
        return found[0]


def to_document(plans: list[StackPlan]) -> dict[str, Any]:
    stacks = []
    for plan in sorted(plans, key=lambda p: p.stack):
        entry = asdict(plan)
        entry["resources"] = sorted(entry["resources"], key=lambda r: r["urn"])
        stacks.append(entry)
    return {"format": FORMAT, "stacks": stacks}


def dumps(plans: list[StackPlan]) -> str:
    return json.dumps(to_document(plans), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(plans: list[StackPlan], path: Path) -> None:
    path.write_text(dumps(plans))


class PlanFileError(Exception):
    """A plan file that cannot be read or lacks a requested stack (a usage error, exit 2)."""


def load(path: Path) -> list[StackPlan]:
    """Read a plan file back (check, diff and matrix judge saved plans); any failure is one
    ``PlanFileError`` that says how to make a good file."""
    try:
        document = json.loads(path.read_text())
        if document.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} file (format={document.get('format')!r})")
        return [
            StackPlan(**{**s, "resources": [PlannedResource(**r) for r in s["resources"]]})
            for s in document["stacks"]
        ]
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
        raise PlanFileError(f"cannot read the plan file {path}: {error}; write one with "
                            "`tricloud plan --all --json FILE`") from error
