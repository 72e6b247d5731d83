"""The guardrails as Pulumi policies: thin adapters over ``tricloud.guardrails``, no rule logic.

Each rule becomes a ``ResourceValidationPolicy`` (it sees one resource's inputs and its
provider, so provider default tags count); a rule that needs several resources at once (an S3
bucket and its public access block) also gets a ``StackValidationPolicy``. Kept apart from
``__main__.py`` because constructing the ``PolicyPack`` connects to the Pulumi engine, while
this list can be built and exercised by the tests without one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from config.enums import Environment
from tricloud.guardrails import RULES, Resource, Rule, Severity, StackFacts
from tricloud.guardrails.clouds import cloud_of

PACK_NAME = "tricloud-guardrails"
ENFORCEMENT: Mapping[Severity, EnforcementLevel] = {
    Severity.MANDATORY: EnforcementLevel.MANDATORY,
    Severity.ADVISORY: EnforcementLevel.ADVISORY,
}


def stack_facts(config: Mapping[str, Any], resource_type: str = "") -> StackFacts:
    """The stack being previewed, read when a policy runs (never at import).

    The environment is the policy config's ``environment`` if set, else the first part of the
    stack name (``prod-gcp`` -> ``prod``), which is how every tricloud stack is named.
    """
    stack = os.environ.get("PULUMI_STACK", "")
    environment = str(config.get("environment") or stack.split("-", 1)[0])
    known = {e.value for e in Environment}
    return StackFacts(stack=stack, cloud=cloud_of(resource_type),
                      environment=environment if environment in known else "")


def _resource(type_: str, urn: str, name: str, props: Mapping[str, Any], protect: bool,
              provider_props: Mapping[str, Any] | None) -> Resource:
    # The engine does not pass retain_on_delete to analyzers, hence None ("not visible").
    return Resource(urn=urn, type=type_, name=name, inputs=props, protect=protect,
                    retain_on_delete=None, provider_inputs=provider_props)


def from_args(args: ResourceValidationArgs) -> Resource:
    return _resource(args.resource_type, args.urn, args.name, args.props, args.opts.protect,
                     args.provider.props if args.provider else None)


def from_policy_resource(r: PolicyResource) -> Resource:
    return _resource(r.resource_type, r.urn, r.name, r.props, r.opts.protect,
                     r.provider.props if r.provider else None)


def resource_policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        facts = stack_facts(args.get_config(), args.resource_type)
        for violation in rule.evaluate(from_args(args), facts):
            report_violation(violation.message, None)

    return ResourceValidationPolicy(
        name=rule.id, description=rule.title, validate=validate,
        enforcement_level=ENFORCEMENT[rule.severity], remediation_steps=rule.fix)


def stack_policy(rule: Rule) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = [from_policy_resource(r) for r in args.resources]
        for violation in rule.evaluate_stack(resources, stack_facts(args.get_config())):
            report_violation(violation.message, violation.urn)

    return StackValidationPolicy(
        name=f"{rule.id}-stack", description=f"{rule.title} (across resources)",
        validate=validate, enforcement_level=ENFORCEMENT[rule.severity],
        remediation_steps=rule.fix)


def build() -> list[ResourceValidationPolicy | StackValidationPolicy]:
    policies: list[ResourceValidationPolicy | StackValidationPolicy] = []
    for rule in RULES:
        policies.append(resource_policy(rule))
        if rule.stack_check is not None:
            policies.append(stack_policy(rule))
    return policies
