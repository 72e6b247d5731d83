"""What every Azure component shares: the shared ``Scope`` plus the resource group and location.

Azure has no provider-level default tags, so tags are applied per resource; ``Scope.tags`` is the
one place they come from.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components import scope


@dataclass(frozen=True, kw_only=True)
class Scope(scope.Scope):
    """The stack-wide facts an Azure component needs to declare a child resource."""

    resource_group_name: pulumi.Output[str]
    location: str
    subscription_id: pulumi.Output[str]
    tenant_id: pulumi.Output[str]
    # Explicit providers of the non-Azure packages (generated passwords, the image build), so
    # no resource of the stack ever falls back to an ambient default provider.
    random_provider: pulumi.ProviderResource
    image_provider: pulumi.ProviderResource

    def arm_id(self, *parts: str) -> pulumi.Output[str]:
        """A subscription-level ARM id, e.g. a built-in role definition."""
        return self.subscription_id.apply(
            lambda sub: "/".join([f"/subscriptions/{sub}", *parts]))
