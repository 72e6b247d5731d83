"""Helpers shared by the AWS infra tests : stacks, configs, lookups, policies.

The plan records each resource's *inputs*; the ids and ARNs a resource gets back come from the
AWS mock responder, so ``state_of`` replays it to link resources (which security group a rule
belongs to, which ARNs belong to this stack).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from components.aws.mocks import MockResponder
from tests.infra.conftest import stacks_of
from tests.infra.support import by_name, cloud_resources, is_prod, platform_of
from tricloud.guardrails.read import as_list
from tricloud.mocks import with_honest_id
from tricloud.plan import PlannedResource, StackPlan

AWS_STACKS: list[str] = stacks_of("aws")
PLATFORM_TYPE = "tricloud:aws:Platform"
PROVIDER_TYPE = "pulumi:providers:aws"
LIFECYCLE_TYPE = "aws:ecr/lifecyclePolicy:LifecyclePolicy"


def aws_resources(plan: StackPlan) -> list[PlannedResource]:
    return cloud_resources(plan, "aws")


def state_of(plan: StackPlan, resource: PlannedResource) -> dict[str, Any]:
    """What the mocked engine answered for this resource (its id, ARN and other outputs)."""
    answer = MockResponder(platform_of(plan.stack)).resource_state(
        resource.type, resource.name, resource.inputs)
    answer.setdefault("id", f"{resource.name}-id")
    return with_honest_id(resource.type, answer, resource.inputs)


def id_of(plan: StackPlan, resource: PlannedResource) -> str:
    assert resource.id == state_of(plan, resource)["id"], "the plan's id is not the mock's"
    return resource.id


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def stack_arns(plan: StackPlan) -> set[str]:
    """Every ARN a resource of this stack has (its own ARN and ARNs it exposes, e.g. secrets)."""
    return {s for r in aws_resources(plan) for s in _strings(state_of(plan, r))
            if s.startswith("arn:aws:")}


def is_stack_arn(arn: str, owned: set[str]) -> bool:
    """An ARN of this stack, or a sub-resource pattern of one (objects, log streams)."""
    return arn in owned or any(arn.startswith(base + sep) for base in owned for sep in "/:")


def policies(plan: StackPlan) -> list[tuple[PlannedResource, str, dict[str, Any]]]:
    """Every IAM policy document in the plan: (resource, input key, parsed document).

    ECR lifecycle rules also sit under a ``policy`` input; they are not IAM and are skipped.
    """
    found = []
    for r in aws_resources(plan):
        for key in ("policy", "assumeRolePolicy"):
            if isinstance(r.inputs.get(key), str) and r.type != LIFECYCLE_TYPE:
                found.append((r, key, json.loads(r.inputs[key])))
    return found


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    return as_list(document["Statement"])


def container(plan: StackPlan) -> dict[str, Any]:
    definitions = json.loads(plan.one("aws:ecs/taskDefinition:TaskDefinition")
                             .inputs["containerDefinitions"])
    assert len(definitions) == 1
    return definitions[0]


# re-exported for the AWS tests
__all__ = ["AWS_STACKS", "as_list", "by_name", "is_prod", "platform_of"]
