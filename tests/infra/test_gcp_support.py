"""Helpers shared by the GCP infra tests (no tests here): the stacks, their configs, lookups.

Each test module defines a ``plan`` fixture parametrised over ``GCP_STACKS`` so every assertion
runs on dev and prod; the synthesis itself is cached by the session ``synth`` fixture.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from config.loader import load_stack_file
from config.schema import PlatformConfig
from config.stacks import STACKS_DIR
from tests.infra.conftest import stacks_of
from tricloud.plan import PlannedResource, StackPlan

GCP_STACKS: list[str] = stacks_of("gcp")
PLATFORM_TYPE = "tricloud:gcp:Platform"
PROVIDER_TYPE = "pulumi:providers:gcp"


@cache
def platform_of(stack: str) -> PlatformConfig:
    """The validated config the stack was synthesised from (what the plan must reflect)."""
    return load_stack_file(STACKS_DIR / f"Pulumi.{stack}.yaml").platform


def is_prod(plan: StackPlan) -> bool:
    return plan.environment == "prod"


def gcp_resources(plan: StackPlan) -> list[PlannedResource]:
    """The cloud resources proper (not components, providers or other packages)."""
    return [r for r in plan.resources if r.custom and r.type.startswith("gcp:")]


def by_name(plan: StackPlan, type_: str, name: str) -> PlannedResource:
    found = [r for r in plan.of_type(type_) if r.name == name]
    assert len(found) == 1, f"{plan.stack}: expected one {type_} named {name}, found {found}"
    return found[0]


def dig(value: Any, *path: str | int) -> Any:
    """``inputs["a"]["b"][0]`` without KeyErrors: a missing step yields ``None``."""
    for step in path:
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and isinstance(step, int) and step < len(value):
            value = value[step]
        else:
            return None
    return value
