"""What every component of every cloud is given: the stack's facts and how to declare a child.

Each cloud's ``scope.py`` extends ``Scope`` with what its own resources need (AWS the account and
region, GCP the project and labels, Azure the resource group); the options themselves are built
here, once, so no component of any cloud can forget the explicit provider, the services its
children must wait for, or the prod protection of a data store.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Self

import pulumi

from components.context import StackContext, data_store_options


@dataclass(frozen=True, kw_only=True)
class Scope:
    """The stack-wide facts a component needs to declare its children."""

    ctx: StackContext
    provider: pulumi.ProviderResource
    # Resources every child waits for (e.g. the project APIs a GCP resource calls).
    after: tuple[pulumi.Resource, ...] = field(default=())

    @property
    def stack(self) -> str:
        return self.ctx.stack

    @property
    def tags(self) -> dict[str, str]:
        """The standard tags (project, environment, stack, managed-by and the stack's extras)."""
        return dict(self.ctx.tags)

    def with_after(self, *resources: pulumi.Resource) -> Self:
        """A copy whose children also wait for ``resources``."""
        return dataclasses.replace(self, after=(*self.after, *resources))

    def child(self, parent: pulumi.Resource, *,
              depends_on: Sequence[pulumi.Resource] = ()) -> pulumi.ResourceOptions:
        """Options of an ordinary child: parented, on the explicit provider, after ``after``."""
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


def renamed(opts: pulumi.ResourceOptions | None, *old_types: str) -> pulumi.ResourceOptions:
    """``opts`` plus an alias for each type token a component had before, so a stack deployed
    under the old token keeps the component and its children instead of replacing them."""
    return pulumi.ResourceOptions.merge(
        opts or pulumi.ResourceOptions(),
        pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=t) for t in old_types]))
