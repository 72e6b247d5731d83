"""Helpers shared by the Azure infra tests : stacks, lookups, expected values."""

from __future__ import annotations

import importlib
import inspect
from functools import cache
from typing import Any

from components.tags import standard_tags
from tests.infra.conftest import stacks_of
from tests.infra.support import by_name, platform_of
from tricloud.plan import PlannedResource, StackPlan

AZURE_STACKS = stacks_of("azure")
AZ = "azure-native"



def tags_of(stack: str) -> dict[str, str]:
    return standard_tags(platform_of(stack), stack)



def mocked_state(plan: StackPlan, resource: PlannedResource) -> dict[str, Any]:
    """What the mock engine answered for a resource (its ARM id, principal id, ...)."""
    from components.azure.mocks import MockResponder

    responder = MockResponder(platform_of(plan.stack))
    return responder.resource_state(resource.type, resource.name, resource.inputs)


def arm_id(plan: StackPlan, type_: str, name: str | None = None) -> str:
    resource = by_name(plan, type_, name) if name else plan.one(type_)
    return mocked_state(plan, resource)["id"]


@cache
def is_taggable(type_: str) -> bool:
    """Whether the azure-native SDK class of a type token accepts ``tags`` (asks the SDK)."""
    _, module, cls = type_.split(":")
    resource_class = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), cls)
    return "tags" in inspect.signature(resource_class._internal_init).parameters
