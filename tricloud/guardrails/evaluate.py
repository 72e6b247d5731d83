"""Run the rule set over a stack plan (synthesised, or loaded from a ``tricloud-plan/1`` file)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from tricloud.guardrails.model import Resource, Rule, Severity, StackFacts, Violation
from tricloud.guardrails.rules import RULES

if TYPE_CHECKING:
    from tricloud.plan import StackPlan


def facts_of(plan: StackPlan) -> StackFacts:
    return StackFacts(stack=plan.stack, cloud=plan.cloud, environment=plan.environment)


def resources_of(plan: StackPlan) -> list[Resource]:
    """The rules' view of each custom resource, with its explicit provider's inputs attached."""
    providers = {r.urn: r.inputs for r in plan.resources if r.type.startswith("pulumi:providers:")}
    return [
        Resource(urn=r.urn, type=r.type, name=r.name, inputs=r.inputs, protect=r.protect,
                 retain_on_delete=r.retain_on_delete,
                 provider_inputs=providers.get(_provider_urn(r.provider)))
        for r in plan.resources if r.custom
    ]


def _provider_urn(reference: str | None) -> str:
    """A provider reference is ``URN::ID`` to the engine; plans store the URN alone."""
    if not reference:
        return ""
    parts = reference.split("::")
    return "::".join(parts[:4]) if len(parts) > 4 else reference


def check_resource(resource: Resource, facts: StackFacts,
                   rules: Sequence[Rule] = RULES) -> list[Violation]:
    return [v for rule in rules for v in rule.evaluate(resource, facts)]


def check_plan(plan: StackPlan, rules: Sequence[Rule] = RULES) -> list[Violation]:
    """Every violation of every rule in one stack, ordered by resource then rule."""
    facts = facts_of(plan)
    resources = resources_of(plan)
    found = [v for r in resources for v in check_resource(r, facts, rules)]
    found += [v for rule in rules for v in rule.evaluate_stack(resources, facts)]
    return sorted(found, key=lambda v: (v.urn, v.rule_id, v.message))


def failing(violations: Iterable[Violation]) -> list[Violation]:
    """The violations that must stop a plan or a deployment."""
    return [v for v in violations if v.severity is Severity.MANDATORY]
