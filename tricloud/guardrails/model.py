"""What a guardrail is and what it reports, free of Pulumi so the policy pack can share it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tricloud.guardrails.clouds import cloud_of


class Severity(StrEnum):
    """Mandatory violations fail ``tricloud check``/``plan`` and the policy pack; advisory warn."""

    MANDATORY = "mandatory"
    ADVISORY = "advisory"


@dataclass(frozen=True)
class Violation:
    """One rule broken by one resource of one stack, with the fix the user should apply."""

    rule_id: str
    severity: Severity
    stack: str
    urn: str
    resource_type: str
    message: str

    @property
    def resource_name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


@dataclass(frozen=True)
class Resource:
    """The view of a resource the rules need: the same whether it comes from a plan or the engine.

    ``provider_inputs`` are the inputs of the explicit provider the resource is created with, so
    provider-level default tags and labels count as the resource's own.
    """

    urn: str
    type: str
    name: str
    inputs: dict[str, Any]
    protect: bool = False
    retain_on_delete: bool | None = False  # None: the runner cannot see it (the policy pack)
    provider_inputs: dict[str, Any] | None = None


@dataclass(frozen=True)
class StackFacts:
    """What a rule may know about the stack around a resource."""

    stack: str
    cloud: str
    environment: str


Check = Callable[[Resource, StackFacts], Iterable[str]]
# A check that needs several resources at once (a bucket and its public access block).
StackCheck = Callable[[Sequence[Resource], StackFacts], Iterable[tuple[Resource, str]]]


@dataclass(frozen=True)
class Rule:
    """A guardrail: ``check`` yields one problem description per breach, ``fix`` says what to do.

    ``clouds`` comes from the per-cloud table the check reads, so the docs' table cannot claim
    coverage the code lacks; ``fixes`` says what to change in each of those clouds.
    """

    id: str
    severity: Severity
    title: str
    fixes: Mapping[str, str]  # cloud -> what to change, in that cloud's own terms
    clouds: tuple[str, ...]
    check: Check
    stack_check: StackCheck | None = None

    @property
    def fix(self) -> str:
        return "; ".join(f"{cloud}: {self.fixes[cloud]}" for cloud in self.clouds)

    def violation(self, resource: Resource, facts: StackFacts, problem: str) -> Violation:
        fix = self.fixes.get(cloud_of(resource.type)) or self.fix
        return Violation(rule_id=self.id, severity=self.severity, stack=facts.stack,
                         urn=resource.urn, resource_type=resource.type,
                         message=f"{problem}; fix: {fix}")

    def evaluate(self, resource: Resource, facts: StackFacts) -> list[Violation]:
        return [self.violation(resource, facts, p) for p in self.check(resource, facts)]

    def evaluate_stack(self, resources: Sequence[Resource], facts: StackFacts) -> list[Violation]:
        if self.stack_check is None:
            return []
        return [self.violation(r, facts, p) for r, p in self.stack_check(resources, facts)]
