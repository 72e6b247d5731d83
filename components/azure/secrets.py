"""Key Vault: the only home of the job's secrets (source database URL, warehouse password).

RBAC authorisation (no access policies to drift), soft delete and purge protection (a deleted
secret or vault can be recovered and not purged early), and a firewall that admits only the
stack's apps subnet. Pulumi writes secrets through the ARM control plane, so the data-plane
firewall does not lock the deployer out.

With a private link (prod) public network access is off and the vault is reached only through
its private endpoint; trusted Azure services (Container Apps resolving the job's Key Vault
references) keep the firewall bypass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import keyvault

from components.azure import names
from components.azure.network import PrivateLink, private_endpoint
from components.azure.scope import Scope
from components.naming import physical_name


def vault_secret_name(env_var: str) -> str:
    """One spelling for Key Vault and Container Apps secret names (lowercase, digits, ``-``)."""
    return env_var.lower().replace("_", "-")


@dataclass(frozen=True)
class SecretsArgs:
    apps_subnet_id: pulumi.Input[str]
    # Key Vault secret name -> its value (a Pulumi secret).
    values: Mapping[str, pulumi.Input[str]]
    private_link: PrivateLink | None = None  # set: no public network access at all


class Secrets(pulumi.ComponentResource):
    """The vault and one secret per entry of ``SecretsArgs.values``."""

    vault_id: pulumi.Output[str]
    vault_uri: pulumi.Output[str]
    # Key Vault secret name -> its versionless URI (what Container Apps references).
    secret_uris: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: SecretsArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:azure:Secrets", name, None, opts)
        ctx = scope.ctx
        rg = scope.resource_group_name
        vault = keyvault.Vault(
            "vault", resource_group_name=rg, location=scope.location,
            vault_name=physical_name(names.KEY_VAULT, "tc", ctx.stack, unique_for=ctx.stack),
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=scope.tenant_id,
                sku=keyvault.SkuArgs(family="A", name="standard"),
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                # Short in dev so a destroyed dev vault's name frees up within a week.
                soft_delete_retention_in_days=90 if ctx.is_prod else 7,
                enable_purge_protection=True,
                enabled_for_deployment=False, enabled_for_disk_encryption=False,
                enabled_for_template_deployment=False,
                public_network_access="Disabled" if args.private_link else "Enabled",
                network_acls=keyvault.NetworkRuleSetArgs(
                    default_action="Deny", bypass="AzureServices",
                    virtual_network_rules=[] if args.private_link else [
                        keyvault.VirtualNetworkRuleArgs(id=args.apps_subnet_id)])),
            tags=scope.tags, opts=scope.data(self))
        if args.private_link:
            private_endpoint("vault", vault.id, ("vault",), args.private_link, scope, self)
        secrets = {
            secret_name: keyvault.Secret(
                secret_name, resource_group_name=rg, vault_name=vault.name,
                secret_name=secret_name,
                properties=keyvault.SecretPropertiesArgs(
                    value=pulumi.Output.secret(value), content_type="text/plain"),
                tags=scope.tags, opts=scope.child(self))
            for secret_name, value in args.values.items()
        }

        self.vault_id = vault.id
        self.vault_uri = vault.properties.apply(lambda p: p.vault_uri)
        self.secret_uris = {n: s.properties.apply(lambda p: p.secret_uri)
                            for n, s in secrets.items()}
        self.register_outputs({"vault_id": self.vault_id, "vault_uri": self.vault_uri,
                               **{f"{n}_uri": u for n, u in self.secret_uris.items()}})
