"""Plausible Azure answers for the offline plan: ARM ids, endpoints, identity GUIDs, invokes.

Deterministic by construction: every GUID is a uuid5 of the resource's type and name, so the
same stack always yields byte-identical plans. Only what the Azure components read is answered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from config.schema import PlatformConfig

SUBSCRIPTION_ID = "7d3c9a10-5b2e-4f61-9a7c-2e8b1f0c4d55"
TENANT_ID = "3f1a2b4c-6d7e-4f80-9a1b-2c3d4e5f6a7b"
CLIENT_OBJECT_ID = "9e8d7c6b-5a49-4382-8716-05f4e3d2c1b0"
_NAMESPACE = uuid.UUID("6f0c2d7e-1b9a-4c3d-8e5f-a7b6c5d4e3f2")

# type token -> (ARM path under the resource group, input holding the physical name).
# ``{name}`` is the physical name; other fields are filled from the resource's own inputs.
_ARM_PATHS: dict[str, tuple[str, str]] = {
    "network:VirtualNetwork": ("Microsoft.Network/virtualNetworks/{name}", "virtualNetworkName"),
    "network:NetworkSecurityGroup": ("Microsoft.Network/networkSecurityGroups/{name}",
                                     "networkSecurityGroupName"),
    "network:Subnet": ("Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{name}",
                       "subnetName"),
    "network:NatGateway": ("Microsoft.Network/natGateways/{name}", "natGatewayName"),
    "network:PublicIPAddress": ("Microsoft.Network/publicIPAddresses/{name}",
                                "publicIpAddressName"),
    "network:PrivateEndpoint": ("Microsoft.Network/privateEndpoints/{name}",
                                "privateEndpointName"),
    "network:PrivateDnsZoneGroup": (
        "Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{name}",
        "privateDnsZoneGroupName"),
    "privatedns:PrivateZone": ("Microsoft.Network/privateDnsZones/{name}", "privateZoneName"),
    "privatedns:VirtualNetworkLink": (
        "Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{name}",
        "virtualNetworkLinkName"),
    "storage:StorageAccount": ("Microsoft.Storage/storageAccounts/{name}", "accountName"),
    "storage:BlobServiceProperties": (
        "Microsoft.Storage/storageAccounts/{accountName}/blobServices/{name}", "blobServicesName"),
    "storage:BlobContainer": (
        "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{name}",
        "containerName"),
    "dbforpostgresql:Server": ("Microsoft.DBforPostgreSQL/flexibleServers/{name}", "serverName"),
    "dbforpostgresql:Configuration": (
        "Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/configurations/{name}",
        "configurationName"),
    "dbforpostgresql:Database": (
        "Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/databases/{name}", "databaseName"),
    "keyvault:Vault": ("Microsoft.KeyVault/vaults/{name}", "vaultName"),
    "keyvault:Secret": ("Microsoft.KeyVault/vaults/{vaultName}/secrets/{name}", "secretName"),
    "containerregistry:Registry": ("Microsoft.ContainerRegistry/registries/{name}",
                                   "registryName"),
    "managedidentity:UserAssignedIdentity": (
        "Microsoft.ManagedIdentity/userAssignedIdentities/{name}", "resourceName"),
    "operationalinsights:Workspace": ("Microsoft.OperationalInsights/workspaces/{name}",
                                      "workspaceName"),
    "app:ManagedEnvironment": ("Microsoft.App/managedEnvironments/{name}", "environmentName"),
    "app:Job": ("Microsoft.App/jobs/{name}", "jobName"),
    "monitor:ActionGroup": ("Microsoft.Insights/actionGroups/{name}", "actionGroupName"),
    "monitor:ScheduledQueryRule": ("Microsoft.Insights/scheduledQueryRules/{name}", "ruleName"),
}


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class MockResponder:
    platform: PlatformConfig

    def resource_state(self, type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        if type_ == "docker-build:index:Image":
            digest = "sha256:" + uuid.uuid5(_NAMESPACE, name).hex * 2
            tag = (inputs.get("tags") or [f"{name}:latest"])[0]
            return {"digest": digest, "ref": f"{tag.rsplit(':', 1)[0]}@{digest}"}
        if not type_.startswith("azure-native:"):
            return {}
        short = type_.removeprefix("azure-native:")
        if short == "resources:ResourceGroup":
            group = inputs.get("resourceGroupName") or name
            return {"name": group, "id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{group}"}
        if short.startswith("authorization:"):
            kind = "roleAssignments" if short.endswith("RoleAssignment") else "locks"
            return {"name": _guid(type_, name),
                    "id": f"{inputs.get('scope')}/providers/Microsoft.Authorization/{kind}/"
                          f"{_guid(type_, name)}"}
        path, name_key = _ARM_PATHS.get(short, ("Unknown/{name}", "name"))
        physical = inputs.get(name_key) or name
        group = inputs.get("resourceGroupName", "unknown-rg")
        arm_path = path.format(name=physical, **{k: v for k, v in inputs.items()
                                                 if isinstance(v, str)})
        state: dict[str, Any] = {
            "name": physical,
            "id": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{group}/providers/{arm_path}",
        }
        state.update(self._computed(short, physical, inputs))
        return state

    def _computed(self, short: str, physical: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """The read-only outputs the components consume."""
        if short == "dbforpostgresql:Server":
            return {"fullyQualifiedDomainName": f"{physical}.postgres.database.azure.com"}
        if short == "network:PublicIPAddress":
            return {"ipAddress": "20.0.113.10"}
        if short == "keyvault:Vault":
            return {"properties": {**inputs.get("properties", {}),
                                   "vaultUri": f"https://{physical}.vault.azure.net/"}}
        if short == "keyvault:Secret":
            vault = inputs.get("vaultName", "vault")
            uri = f"https://{vault}.vault.azure.net/secrets/{physical}"
            return {"properties": {"secretUri": uri, "contentType": "text/plain",
                                   "secretUriWithVersion": f"{uri}/{_guid(uri)[:32]}"}}
        if short == "containerregistry:Registry":
            return {"loginServer": f"{physical}.azurecr.io"}
        if short == "managedidentity:UserAssignedIdentity":
            return {"principalId": _guid(physical, "principal"),
                    "clientId": _guid(physical, "client"), "tenantId": TENANT_ID}
        if short == "operationalinsights:Workspace":
            return {"customerId": _guid(physical, "workspace")}
        if short == "app:Job":
            # The API takes identity ids as a list and answers with a map of id -> identity.
            identity = dict(inputs.get("identity", {}))
            identity["userAssignedIdentities"] = {
                i: {"principalId": _guid(i, "principal"), "clientId": _guid(i, "client")}
                for i in identity.get("userAssignedIdentities", [])}
            return {"identity": identity}
        if short == "app:ManagedEnvironment":
            return {"defaultDomain": f"{physical}.{self.platform.region}.azurecontainerapps.io",
                    "staticIp": "10.0.0.4"}
        return {}

    def call(self, token: str, args: dict[str, Any]) -> dict[str, Any]:
        if token == "azure-native:authorization:getClientConfig":
            return {"clientId": _guid("client"), "objectId": CLIENT_OBJECT_ID,
                    "subscriptionId": SUBSCRIPTION_ID, "tenantId": TENANT_ID}
        if token == "azure-native:operationalinsights:getSharedKeys":
            return {"primarySharedKey": "mock-primary-key", "secondarySharedKey": "mock-key-2"}
        return {}
