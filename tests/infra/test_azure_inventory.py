"""The Azure inventory: resource types and counts per stack, and the values of the
security-relevant inputs (PINNED), checked in and compared on every run.

When a change to either is intended, regenerate the tables below with:

    .venv/bin/python -m tests.infra.test_azure_inventory

and review the diff of this file like any other change.
"""

from __future__ import annotations

import pytest

from tests.infra.inventory import assert_matches, assert_values, regenerate
from tests.infra.support_azure import AZURE_STACKS

# The inputs whose values are pinned below: what keeps the stack private, encrypted,
# recoverable and retained. A changed default shows as a diff of VALUES.
PINNED: dict[str, tuple[str, ...]] = {
    "azure-native:storage:StorageAccount": (
        "enableHttpsTrafficOnly", "minimumTlsVersion", "allowBlobPublicAccess",
        "allowSharedKeyAccess", "allowCrossTenantReplication", "networkRuleSet.defaultAction",
        "encryption.requireInfrastructureEncryption", "sku.name", "publicNetworkAccess"),
    "azure-native:storage:BlobServiceProperties": (
        "isVersioningEnabled", "deleteRetentionPolicy.days", "containerDeleteRetentionPolicy.days"),
    "azure-native:storage:BlobContainer": ("publicAccess",),
    "azure-native:storage:ManagementPolicy": (
        "policy.rules.0.definition.actions.version.delete.daysAfterCreationGreaterThan",),
    "azure-native:keyvault:Vault": (
        "properties.enableRbacAuthorization", "properties.enablePurgeProtection",
        "properties.softDeleteRetentionInDays", "properties.networkAcls.defaultAction",
        "properties.publicNetworkAccess"),
    "azure-native:dbforpostgresql:Server": (
        "network.publicNetworkAccess", "backup.backupRetentionDays", "backup.geoRedundantBackup",
        "highAvailability.mode"),
    "azure-native:dbforpostgresql:Configuration": ("value",),
    "azure-native:containerregistry:Registry": (
        "adminUserEnabled", "anonymousPullEnabled", "publicNetworkAccess", "sku.name"),
    "azure-native:network:Subnet": ("privateEndpointNetworkPolicies",),
    "azure-native:operationalinsights:Workspace": ("retentionInDays",),
    "azure-native:authorization:ManagementLockByScope": ("level",),
}

# BEGIN INVENTORY (generated)
EXPECTED: dict[str, dict[str, int]] = {
    "dev-azure": {
        "azure-native:app:Job": 1,
        "azure-native:app:ManagedEnvironment": 1,
        "azure-native:authorization:RoleAssignment": 4,
        "azure-native:containerregistry:Registry": 1,
        "azure-native:containerregistry:Task": 1,
        "azure-native:dbforpostgresql:Configuration": 2,
        "azure-native:dbforpostgresql:Database": 1,
        "azure-native:dbforpostgresql:Server": 1,
        "azure-native:keyvault:Secret": 2,
        "azure-native:keyvault:Vault": 1,
        "azure-native:managedidentity:UserAssignedIdentity": 1,
        "azure-native:monitor:ActionGroup": 1,
        "azure-native:monitor:ScheduledQueryRule": 1,
        "azure-native:network:NatGateway": 1,
        "azure-native:network:NetworkSecurityGroup": 2,
        "azure-native:network:PublicIPAddress": 1,
        "azure-native:network:Subnet": 2,
        "azure-native:network:VirtualNetwork": 1,
        "azure-native:operationalinsights:Workspace": 1,
        "azure-native:privatedns:PrivateZone": 1,
        "azure-native:privatedns:VirtualNetworkLink": 1,
        "azure-native:resources:ResourceGroup": 1,
        "azure-native:storage:BlobContainer": 2,
        "azure-native:storage:BlobServiceProperties": 1,
        "azure-native:storage:ManagementPolicy": 1,
        "azure-native:storage:StorageAccount": 1,
        "docker-build:index:Image": 1,
        "pulumi:providers:azure-native": 1,
        "pulumi:providers:docker-build": 1,
        "pulumi:providers:random": 1,
        "random:index/randomPassword:RandomPassword": 1,
        "tricloud:azure:Database": 1,
        "tricloud:azure:Identities": 1,
        "tricloud:azure:ImageRegistry": 1,
        "tricloud:azure:Job": 1,
        "tricloud:azure:Monitoring": 1,
        "tricloud:azure:Network": 1,
        "tricloud:azure:Platform": 1,
        "tricloud:azure:Secrets": 1,
        "tricloud:azure:Storage": 1,
    },
    "prod-azure": {
        "azure-native:app:Job": 1,
        "azure-native:app:ManagedEnvironment": 1,
        "azure-native:authorization:ManagementLockByScope": 2,
        "azure-native:authorization:RoleAssignment": 4,
        "azure-native:containerregistry:Registry": 1,
        "azure-native:containerregistry:Task": 1,
        "azure-native:dbforpostgresql:Configuration": 2,
        "azure-native:dbforpostgresql:Database": 1,
        "azure-native:dbforpostgresql:Server": 1,
        "azure-native:keyvault:Secret": 2,
        "azure-native:keyvault:Vault": 1,
        "azure-native:managedidentity:UserAssignedIdentity": 1,
        "azure-native:monitor:ActionGroup": 1,
        "azure-native:monitor:ScheduledQueryRule": 1,
        "azure-native:network:NatGateway": 1,
        "azure-native:network:NetworkSecurityGroup": 3,
        "azure-native:network:PrivateDnsZoneGroup": 4,
        "azure-native:network:PrivateEndpoint": 4,
        "azure-native:network:PublicIPAddress": 1,
        "azure-native:network:Subnet": 3,
        "azure-native:network:VirtualNetwork": 1,
        "azure-native:operationalinsights:Workspace": 1,
        "azure-native:privatedns:PrivateZone": 5,
        "azure-native:privatedns:VirtualNetworkLink": 5,
        "azure-native:resources:ResourceGroup": 1,
        "azure-native:storage:BlobContainer": 2,
        "azure-native:storage:BlobServiceProperties": 1,
        "azure-native:storage:ManagementPolicy": 1,
        "azure-native:storage:StorageAccount": 1,
        "docker-build:index:Image": 1,
        "pulumi:providers:azure-native": 1,
        "pulumi:providers:docker-build": 1,
        "pulumi:providers:random": 1,
        "random:index/randomPassword:RandomPassword": 1,
        "tricloud:azure:Database": 1,
        "tricloud:azure:Identities": 1,
        "tricloud:azure:ImageRegistry": 1,
        "tricloud:azure:Job": 1,
        "tricloud:azure:Monitoring": 1,
        "tricloud:azure:Network": 1,
        "tricloud:azure:Platform": 1,
        "tricloud:azure:Secrets": 1,
        "tricloud:azure:Storage": 1,
    },
}
# END INVENTORY

# BEGIN VALUES (generated; see the module docstring)
VALUES: dict[str, dict[str, object]] = {
    "dev-azure": {
        "containerregistry:Registry registry adminUserEnabled": False,
        "containerregistry:Registry registry anonymousPullEnabled": False,
        "containerregistry:Registry registry publicNetworkAccess": "Enabled",
        "containerregistry:Registry registry sku.name": "Basic",
        "dbforpostgresql:Configuration require-secure-transport value": "on",
        "dbforpostgresql:Configuration ssl-min-protocol-version value": "TLSv1.2",
        "dbforpostgresql:Server dev-azure-warehouse backup.backupRetentionDays": 7,
        "dbforpostgresql:Server dev-azure-warehouse backup.geoRedundantBackup": "Disabled",
        "dbforpostgresql:Server dev-azure-warehouse highAvailability.mode": "Disabled",
        "dbforpostgresql:Server dev-azure-warehouse network.publicNetworkAccess": "Disabled",
        "keyvault:Vault vault properties.enablePurgeProtection": True,
        "keyvault:Vault vault properties.enableRbacAuthorization": True,
        "keyvault:Vault vault properties.networkAcls.defaultAction": "Deny",
        "keyvault:Vault vault properties.publicNetworkAccess": "Enabled",
        "keyvault:Vault vault properties.softDeleteRetentionInDays": 7,
        "network:Subnet apps privateEndpointNetworkPolicies": "Disabled",
        "network:Subnet database privateEndpointNetworkPolicies": "Disabled",
        "operationalinsights:Workspace logs retentionInDays": 14,
        "storage:BlobContainer processed publicAccess": "None",
        "storage:BlobContainer raw publicAccess": "None",
        "storage:BlobServiceProperties blob-protection containerDeleteRetentionPolicy.days": 7,
        "storage:BlobServiceProperties blob-protection deleteRetentionPolicy.days": 7,
        "storage:BlobServiceProperties blob-protection isVersioningEnabled": True,
        "storage:ManagementPolicy lifecycle policy.rules.0.definition.actions.version.delete.daysAfterCreationGreaterThan": 30,  # noqa: E501
        "storage:StorageAccount lake allowBlobPublicAccess": False,
        "storage:StorageAccount lake allowCrossTenantReplication": False,
        "storage:StorageAccount lake allowSharedKeyAccess": False,
        "storage:StorageAccount lake enableHttpsTrafficOnly": True,
        "storage:StorageAccount lake encryption.requireInfrastructureEncryption": True,
        "storage:StorageAccount lake minimumTlsVersion": "TLS1_2",
        "storage:StorageAccount lake networkRuleSet.defaultAction": "Deny",
        "storage:StorageAccount lake publicNetworkAccess": "Enabled",
        "storage:StorageAccount lake sku.name": "Standard_LRS",
    },
    "prod-azure": {
        "authorization:ManagementLockByScope lake-lock level": "CanNotDelete",
        "authorization:ManagementLockByScope warehouse-lock level": "CanNotDelete",
        "containerregistry:Registry registry adminUserEnabled": False,
        "containerregistry:Registry registry anonymousPullEnabled": False,
        "containerregistry:Registry registry publicNetworkAccess": "Disabled",
        "containerregistry:Registry registry sku.name": "Premium",
        "dbforpostgresql:Configuration require-secure-transport value": "on",
        "dbforpostgresql:Configuration ssl-min-protocol-version value": "TLSv1.2",
        "dbforpostgresql:Server prod-azure-warehouse backup.backupRetentionDays": 30,
        "dbforpostgresql:Server prod-azure-warehouse backup.geoRedundantBackup": "Enabled",
        "dbforpostgresql:Server prod-azure-warehouse highAvailability.mode": "ZoneRedundant",
        "dbforpostgresql:Server prod-azure-warehouse network.publicNetworkAccess": "Disabled",
        "keyvault:Vault vault properties.enablePurgeProtection": True,
        "keyvault:Vault vault properties.enableRbacAuthorization": True,
        "keyvault:Vault vault properties.networkAcls.defaultAction": "Deny",
        "keyvault:Vault vault properties.publicNetworkAccess": "Disabled",
        "keyvault:Vault vault properties.softDeleteRetentionInDays": 90,
        "network:Subnet apps privateEndpointNetworkPolicies": "Disabled",
        "network:Subnet database privateEndpointNetworkPolicies": "Disabled",
        "network:Subnet endpoints privateEndpointNetworkPolicies": "Enabled",
        "operationalinsights:Workspace logs retentionInDays": 90,
        "storage:BlobContainer processed publicAccess": "None",
        "storage:BlobContainer raw publicAccess": "None",
        "storage:BlobServiceProperties blob-protection containerDeleteRetentionPolicy.days": 30,
        "storage:BlobServiceProperties blob-protection deleteRetentionPolicy.days": 30,
        "storage:BlobServiceProperties blob-protection isVersioningEnabled": True,
        "storage:ManagementPolicy lifecycle policy.rules.0.definition.actions.version.delete.daysAfterCreationGreaterThan": 30,  # noqa: E501
        "storage:StorageAccount lake allowBlobPublicAccess": False,
        "storage:StorageAccount lake allowCrossTenantReplication": False,
        "storage:StorageAccount lake allowSharedKeyAccess": False,
        "storage:StorageAccount lake enableHttpsTrafficOnly": True,
        "storage:StorageAccount lake encryption.requireInfrastructureEncryption": True,
        "storage:StorageAccount lake minimumTlsVersion": "TLS1_2",
        "storage:StorageAccount lake networkRuleSet.defaultAction": "Deny",
        "storage:StorageAccount lake publicNetworkAccess": "Disabled",
        "storage:StorageAccount lake sku.name": "Standard_ZRS",
    },
}
# END VALUES


@pytest.mark.parametrize("stack", AZURE_STACKS)
def test_inventory_matches_the_checked_in_table(synth, stack):
    assert_matches(synth(stack), EXPECTED, __name__)


@pytest.mark.parametrize("stack", AZURE_STACKS)
def test_security_relevant_values_match_the_checked_in_table(synth, stack):
    assert_values(synth(stack), VALUES, PINNED, __name__)


def test_prod_differs_from_dev_only_by_the_delete_locks_and_private_access():
    dev, prod = EXPECTED["dev-azure"], EXPECTED["prod-azure"]
    diff = {t: prod.get(t, 0) - dev.get(t, 0) for t in {*dev, *prod}}
    # Private access: the endpoints subnet and its NSG, four privatelink zones linked to the
    # VNet, one endpoint (and DNS zone group) each for blob, dfs, vault and registry.
    assert {t: n for t, n in diff.items() if n} == {
        "azure-native:authorization:ManagementLockByScope": 2,
        "azure-native:network:Subnet": 1,
        "azure-native:network:NetworkSecurityGroup": 1,
        "azure-native:privatedns:PrivateZone": 4,
        "azure-native:privatedns:VirtualNetworkLink": 4,
        "azure-native:network:PrivateEndpoint": 4,
        "azure-native:network:PrivateDnsZoneGroup": 4}


if __name__ == "__main__":
    regenerate(__file__, AZURE_STACKS, PINNED)
