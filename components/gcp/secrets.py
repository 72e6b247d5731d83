"""The pipeline's secrets in Secret Manager: the source database URL and the warehouse password.

Replicas are pinned to the stack's region so secret material stays where the data stays. The
values enter only as Pulumi secrets, so state holds them encrypted and plans show ``[secret]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp import names
from components.gcp.scope import Scope
from components.naming import physical_name

SOURCE_URL = "source-url"
WAREHOUSE_PASSWORD = "warehouse-password"


@dataclass(frozen=True)
class SecretsArgs:
    source_database_url: pulumi.Input[str]
    warehouse_password: pulumi.Input[str]


class Secrets(pulumi.ComponentResource):
    """One secret and its current version per value; ``secrets`` is keyed by purpose."""

    secrets: dict[str, gcp.secretmanager.Secret]

    def __init__(self, name: str, args: SecretsArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Secrets", name, None, opts)
        values = {SOURCE_URL: args.source_database_url,
                  WAREHOUSE_PASSWORD: args.warehouse_password}
        self.secrets = {}
        for purpose, value in values.items():
            secret = gcp.secretmanager.Secret(
                purpose,
                secret_id=physical_name(names.SECRET, "tricloud", scope.ctx.stack, purpose),
                replication=gcp.secretmanager.SecretReplicationArgs(
                    user_managed=gcp.secretmanager.SecretReplicationUserManagedArgs(
                        replicas=[gcp.secretmanager.SecretReplicationUserManagedReplicaArgs(
                            location=scope.region)])),
                labels=scope.labels, opts=scope.child(self))
            gcp.secretmanager.SecretVersion(
                purpose, secret=secret.id, secret_data=pulumi.Output.secret(value),
                opts=scope.child(self))
            self.secrets[purpose] = secret
        self.register_outputs({p: s.id for p, s in self.secrets.items()})
