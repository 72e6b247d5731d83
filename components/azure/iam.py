"""The job's identity: one user-assigned managed identity, granted only what the job does.

Each grant is scoped to the narrowest resource Azure allows: blob data on the two containers
(not the account, so a new container is not readable by default), secrets on the vault (Key Vault
RBAC's narrowest practical scope for references), pulls on the registry. No Owner or Contributor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, managedidentity

from components.azure import roles
from components.azure.scope import Scope
from components.scope import renamed


@dataclass(frozen=True)
class IdentitiesArgs:
    container_ids: Mapping[str, pulumi.Input[str]]
    vault_id: pulumi.Input[str]
    registry_id: pulumi.Input[str]


class Identities(pulumi.ComponentResource):
    """The identity and its role assignments; ``grants`` lets the job wait for them."""

    id: pulumi.Output[str]
    client_id: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    grants: list[authorization.RoleAssignment]

    def __init__(self, name: str, args: IdentitiesArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:azure:Identities", name, None,
                         renamed(opts, "tricloud:azure:JobIdentity"))
        identity = managedidentity.UserAssignedIdentity(
            "job", resource_group_name=scope.resource_group_name, location=scope.location,
            tags=scope.tags, opts=scope.child(self))
        wanted: dict[str, tuple[str, pulumi.Input[str]]] = {
            **{f"blob-{zone}": (roles.STORAGE_BLOB_DATA_CONTRIBUTOR, cid)
               for zone, cid in args.container_ids.items()},
            "vault-secrets": (roles.KEY_VAULT_SECRETS_USER, args.vault_id),
            "registry-pull": (roles.ACR_PULL, args.registry_id),
        }
        self.grants = [
            authorization.RoleAssignment(
                grant, scope=target, principal_id=identity.principal_id,
                # Declaring the type skips the Entra lookup that fails on a just-created identity.
                principal_type="ServicePrincipal",
                role_definition_id=scope.arm_id(roles.definition_path(role)),
                description=f"tricloud {scope.ctx.stack}: pipeline job ({grant})",
                opts=scope.child(self))
            for grant, (role, target) in wanted.items()
        ]
        self.id = identity.id
        self.client_id = identity.client_id
        self.principal_id = identity.principal_id
        self.register_outputs({"id": self.id, "client_id": self.client_id,
                               "principal_id": self.principal_id})
