"""What changes between two plan files, as data: no printing, no Pulumi.

Pulumi decides replace-versus-update from each provider's schema, which an offline plan does not
have. So a resource whose inputs differ is *changed*; it is called *replaced* only where that is
knowable: its type or parent changed without an alias (Pulumi deletes and creates), its
provider changed, or a property of the small table ``tricloud.replacing.REPLACE_ON_CHANGE``
changed. Renderers say so in their legend.

Replacements cascade: the offline ids are honest (a replaced resource gets a new id), so an
input that refers to a replaced resource changes too. Each such change is traced back to the
resource whose id it carries (``ResourceDiff.causes``), so a reviewer sees why a security group
is replaced (its VPC is) and why a database changes (its security group is replaced).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tricloud.plan import SECRET, PlannedResource, StackPlan
from tricloud.replacing import forcing_properties

if TYPE_CHECKING:  # the guardrails are optional to the diff: it works without them
    from tricloud.guardrails import Violation

class Action(StrEnum):
    """What applying HEAD would do to a resource, as far as a plan file can tell."""

    CREATE = "create"
    DELETE = "delete"
    REPLACE = "replace"
    UPDATE = "update"


class StackStatus(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


class Absent:
    """The side of a property change where the property does not exist."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = Absent()


@dataclass(frozen=True)
class PropertyChange:
    """One leaf that differs; ``before``/``after`` are ``ABSENT`` when it was added or removed."""

    path: str
    before: Any
    after: Any

    @property
    def secret(self) -> bool:
        return SECRET in (self.before, self.after)


@dataclass(frozen=True)
class ResourceDiff:
    urn: str
    type: str
    name: str
    action: Action
    changes: tuple[PropertyChange, ...] = ()
    reasons: tuple[str, ...] = ()  # why it is a replace (or a move), in words
    causes: tuple[str, ...] = ()  # URNs of replaced resources whose new id this one now carries


@dataclass(frozen=True)
class StackDiff:
    stack: str
    status: StackStatus
    resources: tuple[ResourceDiff, ...] = ()
    outputs: tuple[PropertyChange, ...] = ()

    def count(self, action: Action) -> int:
        return sum(1 for r in self.resources if r.action is action)

    @property
    def has_changes(self) -> bool:
        return self.status is not StackStatus.UNCHANGED


@dataclass(frozen=True)
class PlanDiff:
    stacks: tuple[StackDiff, ...] = field(default_factory=tuple)

    @property
    def has_changes(self) -> bool:
        return any(s.has_changes for s in self.stacks)

    def totals(self) -> Counter[Action]:
        return Counter(r.action for s in self.stacks for r in s.resources)


def _key(key: str) -> str:
    """A dict key as a path step; quoted when it would be ambiguous (``tags["k8s.io/x"]``)."""
    if key and all(c.isalnum() or c in "_-:/@" for c in key):
        return f".{key}"
    return f"[{json.dumps(key)}]"


def _decoded(value: str) -> Any:
    """A JSON document carried in a string (IAM policies, container definitions), parsed."""
    if value[:1] in "{[":
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, dict | list) and parsed:
            return parsed
    return value


def _by_name(items: list[Any]) -> dict[str, Any] | None:
    """A list whose entries a provider tells apart by a unique ``name`` (a job's environment
    variables, a task's containers), keyed by it: one variable inserted is then one addition,
    not every later entry shifted by one position with its name and value "changed"."""
    if not all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in items):
        return None
    names = [i["name"] for i in items]
    if len(set(names)) != len(names):
        return None
    return {i["name"]: {k: v for k, v in i.items() if k != "name"} for i in items}


def _name(name: str) -> str:
    return name if name and all(c.isalnum() or c in "_-" for c in name) else json.dumps(name)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves by dotted path (``a.b[0].c``, ``env[name=X].value`` for entries known by a unique
    name); JSON strings are opened up, empty containers kept.

    Keeping a nested ``{}`` or ``[]`` as a leaf means adding an empty block is still a visible
    change; an empty value at the top has no leaves.
    """
    if isinstance(value, str):
        value = _decoded(value)
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}{_key(str(k))}"))
        return out
    if isinstance(value, list) and value:
        out = {}
        named = _by_name(value)
        if named is not None:
            for name, rest in named.items():
                out.update(flatten(rest, f"{prefix}[name={_name(name)}]"))
            return out
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
        return out
    if not prefix:
        return {} if isinstance(value, dict | list) else {"(value)": value}
    return {prefix.removeprefix("."): value}


def diff_values(before: Any, after: Any) -> list[PropertyChange]:
    """Every leaf added, removed or changed between two values, in path order."""
    a, b = flatten(before), flatten(after)
    return [PropertyChange(p, a.get(p, ABSENT), b.get(p, ABSENT))
            for p in sorted(a.keys() | b.keys())
            if p not in a or p not in b or not _same(a[p], b[p])]


def _same(before: Any, after: Any) -> bool:
    """Equal as JSON: ``1``, ``1.0`` and ``true`` are different values to a provider."""
    return type(before) is type(after) and before == after


def _root(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


@dataclass(frozen=True)
class _Renamed:
    """A resource of the stack whose id changed (it is replaced): what refers to it changes."""

    urn: str
    label: str
    before: str
    after: str


def _renamed(old: Mapping[str, PlannedResource], new: Mapping[str, PlannedResource],
             ) -> list[_Renamed]:
    return [_Renamed(u, f"{new[u].type.rsplit(':', 1)[-1]} {new[u].name}", old[u].id, new[u].id)
            for u in sorted(old.keys() & new.keys())
            if old[u].id and new[u].id and old[u].id != new[u].id]


def _cause(change: PropertyChange, renamed: Iterable[_Renamed]) -> _Renamed | None:
    """The replaced resource whose old id the value held and whose new id it holds now."""
    before, after = change.before, change.after
    if not isinstance(before, str) or not isinstance(after, str):
        return None
    return next((r for r in renamed if r.before in before and r.after in after), None)


def _compare(base: PlannedResource, head: PlannedResource, moved: bool,
             renamed: Iterable[_Renamed] = ()) -> ResourceDiff | None:
    changes = diff_values(base.inputs, head.inputs)
    changes += [PropertyChange(f"(option) {c.path}", c.before, c.after)
                for c in diff_values(_options(base), _options(head))]
    caused = {c.path: _cause(c, renamed) for c in changes}
    causes = sorted({r.urn: r for r in caused.values() if r}.values(), key=lambda r: r.urn)
    reasons: list[str] = []
    if base.type != head.type and not moved:  # an alias covers a new type token too
        reasons.append(f"type changed from {base.type}")
    if base.parent != head.parent and not moved:
        reasons.append("parent changed without an alias")
    if base.provider != head.provider:
        reasons.append("provider changed")
    forcing = forcing_properties(head.type)
    forced = sorted({_root(c.path) for c in changes} & forcing)
    for prop in forced:
        followed = sorted({r.label for c in changes if _root(c.path) == prop
                           for r in [caused[c.path]] if r})
        direct = any(caused[c.path] is None for c in changes if _root(c.path) == prop)
        because = "" if direct or not followed else f" (follows the replaced {', '.join(followed)})"
        reasons.append(f"{prop} cannot change in place{because}")
    if not forced and causes:
        reasons.append(f"refers to the replaced {', '.join(r.label for r in causes)}")
    if not changes and not reasons and (base.urn, base.parent) == (head.urn, head.parent):
        return None
    if moved:
        reasons.insert(0, f"moved from {base.urn} (aliased: no replace)" if base.urn != head.urn
                       else "moved with its parent (aliased: no replace)")
    replace = bool(forced) or any(not r.startswith(("moved", "refers")) for r in reasons)
    return ResourceDiff(urn=head.urn, type=head.type, name=head.name,
                        action=Action.REPLACE if replace else Action.UPDATE,
                        changes=tuple(changes), reasons=tuple(reasons),
                        causes=tuple(r.urn for r in causes))


def _options(resource: PlannedResource) -> dict[str, Any]:
    return {"protect": resource.protect, "retainOnDelete": resource.retain_on_delete}


def _alias_matches(alias: str, head: PlannedResource, old: PlannedResource) -> bool:
    """Whether a head resource's alias names the base resource (URN, or a type/name spec)."""
    if alias.startswith("urn:"):
        return alias == old.urn
    try:
        spec = json.loads(alias).get("spec", {})
    except (ValueError, AttributeError):
        return False
    return (spec.get("type") or head.type, spec.get("name") or head.name) == (old.type, old.name)


def _pair_moves(removed: dict[str, PlannedResource], added: dict[str, PlannedResource],
                ) -> list[tuple[PlannedResource, PlannedResource, bool]]:
    """Pair a removed and an added resource that Pulumi would treat as one (aliased) or as a
    delete-and-create of the same thing (same name and type, new parent; or new type)."""
    pairs: list[tuple[PlannedResource, PlannedResource, bool]] = []
    for head in sorted(added.values(), key=lambda r: r.urn):
        old = next((o for o in sorted(removed.values(), key=lambda r: r.urn)
                    if any(_alias_matches(a, head, o) for a in head.aliases)), None)
        if old is not None:
            pairs.append((old, head, True))
            del removed[old.urn], added[head.urn]
    pairs += _inherited_moves(removed, added, {new.urn: old.urn for old, new, _ in pairs})
    by_identity: dict[tuple[str, str], list[PlannedResource]] = {}
    for r in (*removed.values(), *added.values()):
        by_identity.setdefault((r.type, r.name), []).append(r)
    for group in by_identity.values():
        olds = [r for r in group if r.urn in removed]
        news = [r for r in group if r.urn in added]
        if len(olds) == 1 and len(news) == 1:
            pairs.append((olds[0], news[0], False))
            del removed[olds[0].urn], added[news[0].urn]
    return pairs


def _inherited_moves(removed: dict[str, PlannedResource], added: dict[str, PlannedResource],
                     moved: dict[str, str]) -> list[tuple[PlannedResource, PlannedResource, bool]]:
    """Children of an aliased resource, which the engine aliases too: a child keeps its type and
    name, and its old URN is the one under its parent's old URN (``moved`` maps new parent URNs
    to old ones). Repeated so grandchildren follow their parents."""
    pairs: list[tuple[PlannedResource, PlannedResource, bool]] = []
    while True:
        found = [(old, head) for head in sorted(added.values(), key=lambda r: r.urn)
                 if head.parent in moved
                 for old in removed.values()
                 if (old.type, old.name, old.parent) == (head.type, head.name, moved[head.parent])]
        if not found:
            return pairs
        for old, head in found:
            if old.urn in removed and head.urn in added:
                pairs.append((old, head, True))
                moved[head.urn] = old.urn
                del removed[old.urn], added[head.urn]


def diff_stack(base: StackPlan | None, head: StackPlan | None) -> StackDiff:
    """Resources of one stack created, deleted, replaced or updated from ``base`` to ``head``."""
    if base is None and head is None:
        raise ValueError("diff_stack needs at least one side")
    name = (head or base).stack  # type: ignore[union-attr]
    old = {r.urn: r for r in base.resources} if base else {}
    new = {r.urn: r for r in head.resources} if head else {}
    results: list[ResourceDiff] = []
    renamed = _renamed(old, new)
    removed = {u: old[u] for u in old.keys() - new.keys()}
    added = {u: new[u] for u in new.keys() - old.keys()}
    pairs = _pair_moves(removed, added)
    # A resource keeps its URN when only its parent's URN changed (the mock engine's URNs hold
    # the parent's type alone); the engine aliases it with that parent.
    moved_parents = {after.urn: before.urn for before, after, aliased in pairs if aliased}
    for urn in sorted(old.keys() & new.keys()):
        before, after = old[urn], new[urn]
        compared = _compare(before, after, moved=before.parent != after.parent
                            and moved_parents.get(after.parent or "") == before.parent,
                            renamed=renamed)
        if compared:
            results.append(compared)
    for before, after, moved in pairs:
        compared = _compare(before, after, moved=moved, renamed=renamed)
        if compared:
            results.append(compared)
    results += [ResourceDiff(r.urn, r.type, r.name, Action.CREATE) for r in added.values()]
    results += [ResourceDiff(r.urn, r.type, r.name, Action.DELETE) for r in removed.values()]
    outputs = diff_values(base.outputs, head.outputs) if base and head else []
    if base is None:
        status = StackStatus.ADDED
    elif head is None:
        status = StackStatus.REMOVED
    else:
        status = StackStatus.CHANGED if results or outputs else StackStatus.UNCHANGED
    return StackDiff(stack=name, status=status,
                     resources=tuple(sorted(results, key=lambda r: (r.urn, r.action))),
                     outputs=tuple(outputs))


def diff_plans(base: Iterable[StackPlan], head: Iterable[StackPlan]) -> PlanDiff:
    """Every stack of either side, by name; a stack only in one side is added or removed."""
    old: Mapping[str, StackPlan] = {p.stack: p for p in base}
    new: Mapping[str, StackPlan] = {p.stack: p for p in head}
    names = sorted(old.keys() | new.keys())
    return PlanDiff(tuple(diff_stack(old.get(n), new.get(n)) for n in names))


@dataclass(frozen=True)
class Finding:
    """A guardrail violation of HEAD; ``new`` when BASE did not break that rule on that resource."""

    violation: Violation
    new: bool


def guardrail_findings(base: Iterable[Violation], head: Iterable[Violation],
                       ) -> tuple[Finding, ...]:
    """HEAD's violations, new ones first, so a reviewer sees what this change introduces."""
    from tricloud.guardrails import Severity

    known = {(v.rule_id, v.urn) for v in base}
    findings = [Finding(v, (v.rule_id, v.urn) not in known) for v in head]
    return tuple(sorted(findings, key=lambda f: (
        not f.new, f.violation.severity is not Severity.MANDATORY, f.violation.rule_id,
        f.violation.urn)))
