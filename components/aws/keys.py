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
from components.context import data_store_options


@dataclass(frozen=True)
class DataKeyArgs:
    stack: str
    protect: bool


class DataKey(pulumi.ComponentResource):
    """One rotating symmetric key and a readable alias for it."""

    def __init__(self, name: str, args: DataKeyArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:DataKey", name, None, opts)
        self.key = aws.kms.Key(
            "data", description=f"tricloud {args.stack}: data at rest",
            enable_key_rotation=True, deletion_window_in_days=30,
            opts=pulumi.ResourceOptions.merge(pulumi.ResourceOptions(parent=self),
                                              data_store_options(args.protect)))
        aws.kms.Alias("data", name=f"alias/{names.stack_name(args.stack, 'data')}",
                      target_key_id=self.key.key_id, opts=pulumi.ResourceOptions(parent=self))
        self.arn = self.key.arn
        self.register_outputs({"key_arn": self.key.arn})
