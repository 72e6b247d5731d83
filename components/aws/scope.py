"""What every AWS component shares: the shared ``Scope`` plus the account and region.

The provider carries the region and the default tags, so AWS resources take no ``tags=``; the
account id is looked up once and every ARN-scoped policy and global name is built from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from components import scope


@dataclass(frozen=True, kw_only=True)
class Scope(scope.Scope):
    """The stack-wide facts an AWS component needs to declare its children."""

    region: str
    account_id: pulumi.Output[str]
    # The stack's customer-managed key for data at rest (prod), or None for AWS-managed keys.
    kms_key_arn: pulumi.Input[str] | None = None
