"""The one place that maps a cloud to its platform; nothing else branches on the cloud.

Each entry is an import path, resolved only when that cloud is chosen, so synthesising an AWS
stack never imports the GCP or Azure SDKs (which are large and slow to import).
"""

from __future__ import annotations

import importlib
from typing import Protocol

import pulumi

from components.context import StackContext
from components.contract import PlatformOutputs
from config.enums import Cloud

PLATFORMS: dict[Cloud, str] = {
    Cloud.AWS: "components.aws.platform:AwsPlatform",
    Cloud.GCP: "components.gcp.platform:GcpPlatform",
    Cloud.AZURE: "components.azure.platform:AzurePlatform",
}

# The SDK module each cloud's platform imports; tests check no other cloud's is loaded.
SDK_MODULES: dict[Cloud, str] = {
    Cloud.AWS: "pulumi_aws",
    Cloud.GCP: "pulumi_gcp",
    Cloud.AZURE: "pulumi_azure_native",
}


class Platform(Protocol):
    """A cloud's top-level ComponentResource."""

    outputs: PlatformOutputs

    def __init__(self, name: str, ctx: StackContext,
                 opts: pulumi.ResourceOptions | None = None) -> None: ...


def platform_class(cloud: Cloud) -> type[Platform]:
    module_name, _, attr = PLATFORMS[cloud].partition(":")
    return getattr(importlib.import_module(module_name), attr)


def build_platform(ctx: StackContext) -> PlatformOutputs:
    """Declare the chosen cloud's platform and return its contract outputs."""
    cls = platform_class(ctx.platform.cloud)
    return cls(f"tricloud-{ctx.stack}", ctx).outputs

# Each cloud's plausible answers for the offline plan (ids, ARNs, zones, invokes).
MOCK_RESPONDERS: dict[Cloud, str] = {
    Cloud.AWS: "components.aws.mocks:AwsMockResponder",
    Cloud.GCP: "components.gcp.mocks:GcpMockResponder",
    Cloud.AZURE: "components.azure.mocks:AzureMockResponder",
}
