"""The data lake: one StorageV2 account with ``raw`` and ``processed`` containers.

Everything authenticates with Entra ID (shared keys off, so a leaked key or SAS cannot exist),
the data plane admits only the stack's apps subnet, and versioning plus soft delete make an
overwrite or a delete recoverable for the stack's recovery window. A management policy deletes a
previous version once it is ``storage.noncurrent_version_days`` old, so versioning does not keep
(and bill) every overwritten object forever; uncommitted blocks of an unfinished upload need no
rule, Azure discards them after 7 days.

With a private link (prod) public network access is off and the account is reached only through
its ``blob`` and ``dfs`` private endpoints; without one (dev) the firewall admits the apps subnet.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, storage

from components.azure import names
from components.azure.network import PrivateLink, private_endpoint
from components.azure.scope import Scope
from components.naming import physical_name
from config.schema import StorageConfig

ZONES = ("raw", "processed")
PRIVATE_GROUPS = ("blob", "dfs")  # the blob API and the Data Lake API the abfs:// URIs use


@dataclass(frozen=True)
class StorageArgs:
    retention: StorageConfig  # how long previous versions are kept
    apps_subnet_id: pulumi.Input[str]
    private_link: PrivateLink | None = None  # set: no public network access at all


def abfs_uri(container: str, account: str) -> str:
    """The URI pyarrow's AzureFileSystem reads: ``abfs://<container>@<account>.dfs...``."""
    return f"abfs://{container}@{account}.dfs.core.windows.net/"


class Storage(pulumi.ComponentResource):
    """Storage account, blob data protection, the two containers, a delete lock in prod."""

    account_name: pulumi.Output[str]
    account_id: pulumi.Output[str]
    container_ids: dict[str, pulumi.Output[str]]
    uris: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: StorageArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:azure:Storage", name, None, opts)
        ctx = scope.ctx
        rg = scope.resource_group_name
        # Zone-redundant in prod so a zone outage does not stop the pipeline; LRS is enough in dev.
        sku = "Standard_ZRS" if ctx.is_prod else "Standard_LRS"
        account = storage.StorageAccount(
            "lake", resource_group_name=rg, location=scope.location,
            account_name=physical_name(names.STORAGE_ACCOUNT, "tc", ctx.stack,
                                       unique_for=ctx.stack),
            kind="StorageV2", sku=storage.SkuArgs(name=sku), access_tier="Hot",
            enable_https_traffic_only=True, minimum_tls_version="TLS1_2",
            allow_blob_public_access=False, allow_shared_key_access=False,
            default_to_o_auth_authentication=True, allow_cross_tenant_replication=False,
            public_network_access="Disabled" if args.private_link else "Enabled",
            network_rule_set=storage.NetworkRuleSetArgs(
                default_action="Deny", bypass="AzureServices",
                virtual_network_rules=[] if args.private_link else [
                    storage.VirtualNetworkRuleArgs(
                        virtual_network_resource_id=args.apps_subnet_id, action="Allow")]),
            encryption=storage.EncryptionArgs(
                key_source="Microsoft.Storage", require_infrastructure_encryption=True,
                services=storage.EncryptionServicesArgs(
                    blob=storage.EncryptionServiceArgs(enabled=True, key_type="Account"))),
            tags=scope.tags, opts=scope.data(self))
        # The recovery window of blobs follows the database's: one notion of "how far back".
        days = ctx.platform.database.backup_retention_days
        service = storage.BlobServiceProperties(
            "blob-protection", resource_group_name=rg, account_name=account.name,
            blob_services_name="default", is_versioning_enabled=True,
            delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=days),
            container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(
                enabled=True, days=days),
            opts=scope.child(self))
        storage.ManagementPolicy(
            "lifecycle", resource_group_name=rg, account_name=account.name,
            management_policy_name="default",
            policy=storage.ManagementPolicySchemaArgs(rules=[storage.ManagementPolicyRuleArgs(
                name="expire-previous-versions", enabled=True, type="Lifecycle",
                definition=storage.ManagementPolicyDefinitionArgs(
                    filters=storage.ManagementPolicyFilterArgs(blob_types=["blockBlob"]),
                    actions=storage.ManagementPolicyActionArgs(
                        version=storage.ManagementPolicyVersionArgs(
                            delete=storage.DateAfterCreationArgs(
                                days_after_creation_greater_than=(
                                    args.retention.noncurrent_version_days))))))]),
            opts=scope.child(self, depends_on=[service]))
        containers = {
            zone: storage.BlobContainer(
                zone, resource_group_name=rg, account_name=account.name, container_name=zone,
                public_access="None", opts=scope.data(self, depends_on=[service]))
            for zone in ZONES
        }
        if args.private_link:
            private_endpoint("lake", account.id, PRIVATE_GROUPS, args.private_link, scope, self)
        if ctx.protect_data:
            authorization.ManagementLockByScope(
                "lake-lock", scope=account.id, level="CanNotDelete",
                notes="tricloud: the prod data lake cannot be deleted while this lock exists.",
                opts=scope.child(self))

        self.account_name = account.name
        self.account_id = account.id
        self.container_ids = {zone: c.id for zone, c in containers.items()}
        self.uris = {
            zone: pulumi.Output.all(c.name, account.name).apply(lambda v: abfs_uri(v[0], v[1]))
            for zone, c in containers.items()
        }
        self.register_outputs({
            "account_name": self.account_name, "account_id": self.account_id,
            **{f"{zone}_container_id": cid for zone, cid in self.container_ids.items()},
            **{f"{zone}_uri": uri for zone, uri in self.uris.items()},
        })
