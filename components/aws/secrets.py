"""Secrets Manager entries the pipeline reads at start: the source database URL.

The warehouse password is *not* created here: RDS generates and rotates it in its own Secrets
Manager entry (see ``database.py``), so it never passes through Pulumi state. The source URL
comes from the stack's Pulumi secret and stays a secret Output end to end.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.scope import Scope

RECOVERY_WINDOW_DAYS = 7


@dataclass(frozen=True)
class SecretsArgs:
    source_database_url: pulumi.Output[str]


class Secrets(pulumi.ComponentResource):
    """The source database URL as a Secrets Manager secret (KMS-encrypted with our key in prod)."""

    def __init__(self, name: str, args: SecretsArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Secrets", name, None, opts)
        child = scope.child(self)
        self.source = aws.secretsmanager.Secret(
            "source-url", name=f"{names.stack_name(scope.stack, 'source-url')}",
            description="libpq URL of the OLTP source the pipeline ingests from",
            kms_key_id=scope.kms_key_arn, recovery_window_in_days=RECOVERY_WINDOW_DAYS,
            opts=child)
        aws.secretsmanager.SecretVersion(
            "source-url", secret_id=self.source.id,
            secret_string=pulumi.Output.secret(args.source_database_url), opts=child)
        self.source_arn = self.source.arn
        self.register_outputs({"source_secret_arn": self.source.arn})
