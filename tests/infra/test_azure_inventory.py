"""The Azure inventory: resource types and counts per stack, checked in and compared on every run.

When a change to the inventory is intended, regenerate the table below with:

    .venv/bin/python -m tests.infra.test_azure_inventory

and review the diff of this file like any other change.
"""

from __future__ import annotations

import pytest

from tests.infra.inventory import assert_matches, regenerate
from tests.infra.support_azure import AZURE_STACKS

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
}
# END INVENTORY


@pytest.mark.parametrize("stack", AZURE_STACKS)
def test_inventory_matches_the_checked_in_table(synth, stack):
    assert_matches(synth(stack), EXPECTED, __name__)


def test_prod_differs_from_dev_only_by_the_delete_locks():
    dev, prod = EXPECTED["dev-azure"], EXPECTED["prod-azure"]
    diff = {t: prod.get(t, 0) - dev.get(t, 0) for t in {*dev, *prod}}
    assert {t: n for t, n in diff.items() if n} == {
        "azure-native:authorization:ManagementLockByScope": 2}


if __name__ == "__main__":
    regenerate(__file__, AZURE_STACKS)
