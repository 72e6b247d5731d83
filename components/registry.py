"""The one place that maps a cloud to its package; nothing else branches on the cloud.

Every cloud package has the same shape (``platform.Platform``, ``mocks.MockResponder``,
``SDK_MODULE``), so the map holds only package names. A package's modules are imported only when
that cloud is chosen, so synthesising an AWS stack never imports the GCP or Azure SDKs (which
are large and slow to import).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import pulumi

from components.context import StackContext
from components.contract import PlatformOutputs
from config.enums import Cloud
from config.schema import PlatformConfig

if TYPE_CHECKING:
    from tricloud.mocks import CloudMockResponder

PACKAGES: dict[Cloud, str] = {
    Cloud.AWS: "components.aws",
    Cloud.GCP: "components.gcp",
    Cloud.AZURE: "components.azure",
}


class Platform(Protocol):
    """A cloud's top-level ComponentResource."""

    outputs: PlatformOutputs

    def __init__(self, name: str, ctx: StackContext,
                 opts: pulumi.ResourceOptions | None = None) -> None: ...


def _module(cloud: Cloud, module: str) -> Any:
    return importlib.import_module(f"{PACKAGES[cloud]}.{module}" if module else PACKAGES[cloud])


def sdk_module(cloud: Cloud) -> str:
    """The SDK module a cloud's platform imports; tests check no other cloud's is loaded."""
    return str(_module(cloud, "").SDK_MODULE)


def platform_class(cloud: Cloud) -> type[Platform]:
    return _module(cloud, "platform").Platform  # type: ignore[no-any-return]


def mock_responder(cloud: Cloud) -> Callable[[PlatformConfig], CloudMockResponder]:
    """The class answering for ``cloud``'s resources in the offline plan."""
    return _module(cloud, "mocks").MockResponder  # type: ignore[no-any-return]


def build_platform(ctx: StackContext) -> PlatformOutputs:
    """Declare the chosen cloud's platform and return its contract outputs."""
    cls = platform_class(ctx.platform.cloud)
    return cls(f"tricloud-{ctx.stack}", ctx).outputs
