"""What a cloud's platform is given: the validated config plus the stack-wide facts."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components.tags import standard_tags
from config.enums import Environment
from config.loader import StackConfig
from config.schema import PlatformConfig
from config.sizes import DatabaseMachine, database_machine


def data_store_options(protect: bool) -> pulumi.ResourceOptions:
    """Protected and retained on delete together, on every cloud.

    A mistaken ``pulumi destroy`` or a replacement diff must not take a prod warehouse, bucket or
    key with it: Pulumi refuses to delete a protected resource and only forgets retained ones.
    """
    return pulumi.ResourceOptions(protect=protect, retain_on_delete=protect)


@dataclass(frozen=True)
class StackContext:
    """Built once by the composition root; every component reads its settings from here."""

    stack: str
    platform: PlatformConfig
    source_database_url: pulumi.Output[str]

    @property
    def is_prod(self) -> bool:
        return self.platform.environment is Environment.PROD

    @property
    def tags(self) -> dict[str, str]:
        return standard_tags(self.platform, self.stack)

    @property
    def protect_data(self) -> bool:
        """Data stores get Pulumi protection and retain-on-delete when deletion is protected."""
        return self.platform.database.deletion_protection

    @property
    def database_machine(self) -> DatabaseMachine:
        """The cloud's machine for the neutral database size: looked up here, for every cloud."""
        return database_machine(self.platform.cloud, self.platform.database.size)

    @classmethod
    def from_stack(cls, stack: StackConfig, source_database_url: pulumi.Input[str]) -> StackContext:
        return cls(stack=stack.name, platform=stack.platform,
                   source_database_url=pulumi.Output.secret(source_database_url))
