"""What every Azure component shares: the provider, the resource group, the location and tags.

Azure has no provider-level default tags, so tags are applied per resource; ``AzureScope.tags``
is the one place they come from, and ``opts``/``data_opts`` the one place resource options are
built, so no component can forget the explicit provider or the prod protection of a data store.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_azure_native as azure_native

from components.context import StackContext, data_store_options


@dataclass(frozen=True)
class AzureScope:
    """The stack-wide facts an Azure component needs to declare a child resource."""

    ctx: StackContext
    provider: azure_native.Provider
    resource_group_name: pulumi.Output[str]
    location: str
    subscription_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]
    # Explicit providers of the non-Azure packages (generated passwords, the image build), so
    # no resource of the stack ever falls back to an ambient default provider.
    random_provider: pulumi.ProviderResource
    image_provider: pulumi.ProviderResource

    @property
    def tags(self) -> dict[str, str]:
        """The standard tags; every taggable Azure resource passes ``tags=scope.tags``."""
        return dict(self.ctx.tags)

    def opts(self, parent: pulumi.Resource, *,
             depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        """Options of an ordinary child: parented, explicit provider."""
        return pulumi.ResourceOptions(parent=parent, provider=self.provider,
                                      depends_on=depends_on or [])

    def data_opts(self, parent: pulumi.Resource, *,
                  depends_on: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
        """Options of a data store: also protected and retained on delete when the stack says so."""
        return pulumi.ResourceOptions.merge(
            pulumi.ResourceOptions(parent=parent, provider=self.provider,
                                   depends_on=depends_on or []),
            data_store_options(self.ctx.protect_data))

    def arm_id(self, *parts: str) -> pulumi.Output[str]:
        """A subscription-level ARM id, e.g. a built-in role definition."""
        return self.subscription_id.apply(
            lambda sub: "/".join([f"/subscriptions/{sub}", *parts]))
