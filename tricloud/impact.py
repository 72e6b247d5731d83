"""Data stores first: which databases, buckets, storage accounts and keys a change puts at risk.

A reviewer must not find the warehouse's replacement on line 80 of a diff. Every data store
(the guardrails' one list, ``tricloud.guardrails.rules.data_protection.STORES``) that a diff
replaces or deletes is a warning, with what would stop it: Pulumi ``protect`` (``pulumi up``
refuses), ``retainOnDelete`` (the old one is left in the cloud with its data) and the cloud's own
deletion settings. A data store that is only updated, but because something it refers to is
replaced (its network, its security group), is a warning too: moving a database onto new
network resources is the kind of change a provider may refuse or carry out by replacement.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tricloud.diff import Action, PlanDiff
from tricloud.guardrails.read import dig
from tricloud.guardrails.rules.data_protection import STORES
from tricloud.plan import PlannedResource, StackPlan


@dataclass(frozen=True)
class DataStoreWarning:
    """One data store a change replaces, deletes or moves onto replaced resources."""

    stack: str
    urn: str
    type: str
    name: str
    action: Action
    blockers: tuple[str, ...]  # what stops the delete (protect, the cloud's own flags)
    kept: bool  # retainOnDelete: the old resource (and its data) stays in the cloud
    causes: tuple[str, ...] = ()  # the replaced resources it refers to (labels)

    @property
    def blocked(self) -> bool:
        return bool(self.blockers)

    def sentence(self) -> str:
        """The warning in words: what happens to it, and whether anything stops that."""
        what = f"{self.type} `{self.name}` in {self.stack}"
        if self.action is Action.UPDATE:
            return (f"{what} changes because it refers to replaced resources "
                    f"({', '.join(self.causes)}); check `pulumi preview --diff` before merging: "
                    "the provider may refuse the move or replace it")
        verb = "is REPLACED (deleted, then created empty)" if self.action is Action.REPLACE \
            else "is DELETED"
        if self.blockers:
            stop = f"blocked by {', '.join(self.blockers)}"
        elif self.kept:
            stop = "not blocked; retainOnDelete keeps the old one (and its data) in the cloud"
        else:
            stop = "nothing blocks it (protect off, retainOnDelete off): its data is lost"
        return f"{what} {verb}: {stop}"


def _blockers(resource: PlannedResource) -> tuple[str, ...]:
    found = ["protect (`pulumi up` refuses until it is removed)"] if resource.protect else []
    flags: Mapping[str, object] = STORES.get(resource.type) or {}
    for path, safe in flags.items():
        value = dig(resource.inputs, path)
        if safe is True and value is True:
            found.append(f"{path}={json.dumps(value)} (the cloud refuses the delete)")
    return tuple(found)


def data_store_warnings(base: Iterable[StackPlan], head: Iterable[StackPlan],
                        diff: PlanDiff) -> tuple[DataStoreWarning, ...]:
    """Warnings for every data store the diff replaces, deletes or moves, deletions first."""
    old = {p.stack: {r.urn: r for r in p.resources} for p in base}
    new = {p.stack: {r.urn: r for r in p.resources} for p in head}
    warnings: list[DataStoreWarning] = []
    for stack in diff.stacks:
        before, after = old.get(stack.stack, {}), new.get(stack.stack, {})
        for r in stack.resources:
            if r.type not in STORES or r.action is Action.CREATE:
                continue
            if r.action is Action.UPDATE and not r.causes:
                continue
            existing = before.get(r.urn) or next(
                (b for b in before.values() if (b.type, b.name) == (r.type, r.name)), None)
            if existing is None:
                continue
            labels = tuple(f"{after[c].type.rsplit(':', 1)[-1]} {after[c].name}"
                           for c in r.causes if c in after)
            warnings.append(DataStoreWarning(
                stack=stack.stack, urn=r.urn, type=r.type, name=r.name, action=r.action,
                blockers=_blockers(existing), kept=existing.retain_on_delete, causes=labels))
    order = {Action.DELETE: 0, Action.REPLACE: 1, Action.UPDATE: 2}
    return tuple(sorted(warnings, key=lambda w: (order[w.action], w.stack, w.urn)))
