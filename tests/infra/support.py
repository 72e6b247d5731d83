"""Lookups every cloud's infra tests use."""

from __future__ import annotations

from functools import cache

from config.loader import load_stack_file
from config.schema import PlatformConfig
from config.stacks import STACKS_DIR
from tricloud.plan import PlannedResource, StackPlan


@cache
def platform_of(stack: str) -> PlatformConfig:
    """The validated config the stack was synthesised from (what the plan must reflect)."""
    return load_stack_file(STACKS_DIR / f"Pulumi.{stack}.yaml").platform


def is_prod(plan: StackPlan) -> bool:
    return plan.environment == "prod"


def cloud_resources(plan: StackPlan, package: str) -> list[PlannedResource]:
    """The cloud resources proper (not components, providers or other packages)."""
    return [r for r in plan.resources if r.custom and r.type.startswith(f"{package}:")]


def by_name(plan: StackPlan, type_: str, name: str) -> PlannedResource:
    found = [r for r in plan.of_type(type_) if r.name == name]
    assert len(found) == 1, f"{plan.stack}: expected one {type_} named {name}, found {found}"
    return found[0]
