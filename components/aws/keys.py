"""A customer-managed KMS key for the stack's data (prod): buckets, database, secrets.

A key of our own means access to the data can be audited and revoked independently of S3/RDS
permissions, and destroying the stack cannot silently take the key with it (it is protected
like the data it encrypts).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.scope import Scope


@dataclass(frozen=True)
class DataKeyArgs:
    purpose: str  # what the key encrypts; also its logical and alias name


class DataKey(pulumi.ComponentResource):
    """One rotating symmetric key and a readable alias for it."""

    def __init__(self, name: str, args: DataKeyArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:DataKey", name, None, opts)
        self.key = aws.kms.Key(
            args.purpose, description=f"tricloud {scope.stack}: {args.purpose} at rest",
            enable_key_rotation=True, deletion_window_in_days=30,
            opts=scope.data(self))
        aws.kms.Alias(args.purpose, name=f"alias/{names.stack_name(scope.stack, args.purpose)}",
                      target_key_id=self.key.key_id, opts=scope.child(self))
        self.arn = self.key.arn
        self.register_outputs({"key_arn": self.key.arn})
