"""Helpers shared by the GCP infra tests: the stacks, their configs, lookups.

A test module sets ``CLOUD = "gcp"`` and takes the shared ``plan`` fixture (infra conftest),
so every assertion runs on dev and prod; the synthesis itself is cached per session.
"""

from __future__ import annotations

from tests.infra.conftest import stacks_of
from tests.infra.support import by_name, cloud_resources, is_prod, platform_of
from tricloud.plan import PlannedResource, StackPlan

GCP_STACKS: list[str] = stacks_of("gcp")
PLATFORM_TYPE = "tricloud:gcp:Platform"
PROVIDER_TYPE = "pulumi:providers:gcp"







def gcp_resources(plan: StackPlan) -> list[PlannedResource]:
    return cloud_resources(plan, "gcp")


__all__ = ["GCP_STACKS", "PLATFORM_TYPE", "PROVIDER_TYPE", "by_name", "gcp_resources",
           "is_prod", "platform_of"]
