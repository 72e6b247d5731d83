"""What every GCP component shares: the explicit provider, project, region, labels and options.

Passing one typed scope down (instead of loose kwargs) keeps every child on the stack's provider,
under its component, and after the project's APIs are enabled, without each file re-deriving it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_docker_build as docker_build
import pulumi_gcp as gcp
import pulumi_random as random

from components.context import StackContext, data_store_options


@dataclass(frozen=True)
class GcpScope:
    """The stack-wide facts a GCP component needs to declare its children."""

    ctx: StackContext
    provider: gcp.Provider
    project: str
    region: str
    labels: dict[str, str]
    # The other packages get explicit providers too, so nothing falls back to a default one.
    random_provider: random.Provider
    image_provider: docker_build.Provider
    # Resources every child waits for (the project services): an API must be on before use.
    after: tuple[pulumi.Resource, ...] = field(default=())

    def with_after(self, *resources: pulumi.Resource) -> GcpScope:
        """A copy whose children also wait for ``resources``."""
        return dataclasses.replace(self, after=(*self.after, *resources))

    def child(self, parent: pulumi.Resource, *,
              depends_on: Sequence[pulumi.Resource] = ()) -> pulumi.ResourceOptions:
        """Options of an ordinary child: parented, on the explicit provider, after the APIs."""
        return pulumi.ResourceOptions(parent=parent, provider=self.provider,
                                      depends_on=[*self.after, *depends_on])

    def data(self, parent: pulumi.Resource, *,
             depends_on: Sequence[pulumi.Resource] = ()) -> pulumi.ResourceOptions:
        """Options of a data store: also protected and retained when the stack protects data."""
        return pulumi.ResourceOptions.merge(
            self.child(parent, depends_on=depends_on), data_store_options(self.ctx.protect_data))

    def invoke(self, parent: pulumi.Resource) -> pulumi.InvokeOutputOptions:
        """Invokes (data sources) go through the same provider as the resources."""
        return pulumi.InvokeOutputOptions(parent=parent, provider=self.provider)
