"""Azure network: VNet on the stack's range, delegated subnets behind NSGs, private DNS."""

from __future__ import annotations

import ipaddress

import pytest

from components.azure.network import (
    APPS_DELEGATION,
    DATABASE_DELEGATION,
    POSTGRES_ZONE_SUFFIX,
    PRIVATE_ZONES,
)
from tests.infra.support_azure import AZ, arm_id, by_name, mocked_state, platform_of

CLOUD = "azure"


def test_vnet_uses_the_stacks_range_and_subnets_fit_inside(plan):
    cidr = platform_of(plan.stack).network.cidr
    vnet = plan.one(f"{AZ}:network:VirtualNetwork")
    assert vnet.inputs["addressSpace"]["addressPrefixes"] == [str(cidr)]
    nets = [ipaddress.ip_network(s.inputs["addressPrefix"])
            for s in plan.of_type(f"{AZ}:network:Subnet")]
    # apps and database; prod adds the private endpoints' subnet.
    assert len(nets) == (3 if plan.environment == "prod" else 2)
    assert all(n.subnet_of(cidr) for n in nets)
    assert not any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1:])


@pytest.mark.parametrize(("subnet", "service"),
                         [("apps", APPS_DELEGATION), ("database", DATABASE_DELEGATION)])
def test_subnets_are_delegated(plan, subnet, service):
    inputs = by_name(plan, f"{AZ}:network:Subnet", subnet).inputs
    assert [d["serviceName"] for d in inputs["delegations"]] == [service]


def test_every_subnet_has_an_nsg_denying_internet_inbound(plan):
    for subnet in plan.of_type(f"{AZ}:network:Subnet"):
        assert_denies_internet_inbound(plan, subnet.inputs)


def assert_denies_internet_inbound(plan, inputs):
    nsg_id = inputs["networkSecurityGroup"]["id"]
    nsg = next(g for g in plan.of_type(f"{AZ}:network:NetworkSecurityGroup")
               if arm_id(plan, g.type, g.name) == nsg_id)
    denies = [r for r in nsg.inputs["securityRules"]
              if r["direction"] == "Inbound" and r["access"] == "Deny"
              and r["sourceAddressPrefix"] == "Internet" and r["destinationPortRange"] == "*"]
    assert denies, f"{nsg.name} does not deny inbound from the internet"
    allows = [r for r in nsg.inputs["securityRules"] if r["access"] == "Allow"
              and r["direction"] == "Inbound" and r.get("sourceAddressPrefix") in ("*", "Internet")]
    assert not allows


def test_database_subnet_has_no_default_outbound_access(plan):
    inputs = by_name(plan, f"{AZ}:network:Subnet", "database").inputs
    assert inputs["defaultOutboundAccess"] is False


def test_apps_subnet_egress_follows_nat_mode(plan):
    apps = by_name(plan, f"{AZ}:network:Subnet", "apps").inputs
    assert apps["natGateway"]["id"] == arm_id(plan, f"{AZ}:network:NatGateway")
    assert {e["service"] for e in apps["serviceEndpoints"]} == {
        "Microsoft.Storage", "Microsoft.KeyVault"}


def test_postgres_private_dns_zone_is_linked_to_the_vnet(plan):
    zone = by_name(plan, f"{AZ}:privatedns:PrivateZone", "postgres-dns")
    assert zone.inputs["privateZoneName"].endswith("." + POSTGRES_ZONE_SUFFIX)
    link = by_name(plan, f"{AZ}:privatedns:VirtualNetworkLink", "postgres-dns-link")
    assert link.inputs["virtualNetwork"]["id"] == arm_id(plan, f"{AZ}:network:VirtualNetwork")
    assert link.inputs["privateZoneName"] == zone.inputs["privateZoneName"]
    assert link.inputs["registrationEnabled"] is False


def test_private_link_zones_are_linked_to_the_vnet_in_prod_only(plan):
    zones = {z.inputs["privateZoneName"]: z for z in plan.of_type(f"{AZ}:privatedns:PrivateZone")}
    private = set(PRIVATE_ZONES.values())
    if plan.environment != "prod":
        assert not private & set(zones)
        return
    assert private <= set(zones)
    vnet = arm_id(plan, f"{AZ}:network:VirtualNetwork")
    linked = {link.inputs["privateZoneName"] for link in
              plan.of_type(f"{AZ}:privatedns:VirtualNetworkLink")
              if link.inputs["virtualNetwork"]["id"] == vnet}
    assert private <= linked
    endpoints = by_name(plan, f"{AZ}:network:Subnet", "endpoints").inputs
    assert endpoints["privateEndpointNetworkPolicies"] == "Enabled"
    assert endpoints["defaultOutboundAccess"] is False


# Service -> (its resource type, the private link group ids it must expose).
PRIVATE_SERVICES = {
    "storage": (f"{AZ}:storage:StorageAccount", ("blob", "dfs")),
    "vault": (f"{AZ}:keyvault:Vault", ("vault",)),
    "registry": (f"{AZ}:containerregistry:Registry", ("registry",)),
}


def public_access(resource) -> str:
    return (resource.inputs.get("publicNetworkAccess")
            or resource.inputs.get("properties", {}).get("publicNetworkAccess"))


@pytest.mark.parametrize("service", PRIVATE_SERVICES)
def test_data_services_are_reached_through_private_endpoints_in_prod(plan, service):
    type_, groups = PRIVATE_SERVICES[service]
    target = plan.one(type_)
    endpoints = [e for e in plan.of_type(f"{AZ}:network:PrivateEndpoint")
                 if e.inputs["privateLinkServiceConnections"][0]["privateLinkServiceId"]
                 == arm_id(plan, type_)]
    if plan.environment != "prod":
        assert public_access(target) == "Enabled" and not endpoints
        return
    assert public_access(target) == "Disabled"
    subnet = arm_id(plan, f"{AZ}:network:Subnet", "endpoints")
    assert sorted(g for e in endpoints
                  for g in e.inputs["privateLinkServiceConnections"][0]["groupIds"]) == sorted(
        groups)
    zone_groups = {g.inputs["privateEndpointName"]: g
                   for g in plan.of_type(f"{AZ}:network:PrivateDnsZoneGroup")}
    for endpoint in endpoints:
        assert endpoint.inputs["subnet"]["id"] == subnet
        (group,) = endpoint.inputs["privateLinkServiceConnections"][0]["groupIds"]
        (config,) = zone_groups[endpoint.name].inputs["privateDnsZoneConfigs"]
        zone = next(z for z in plan.of_type(f"{AZ}:privatedns:PrivateZone")
                    if z.inputs["privateZoneName"] == PRIVATE_ZONES[group])
        assert config["privateDnsZoneId"] == arm_id(plan, zone.type, zone.name)


def test_registry_is_premium_when_private(plan):
    registry = plan.one(f"{AZ}:containerregistry:Registry").inputs
    expected = "Premium" if plan.environment == "prod" else "Basic"
    assert registry["sku"]["name"] == expected


def test_the_job_resolves_the_private_zones_from_its_subnet(plan):
    """The job's environment sits in the apps subnet of the VNet every zone is linked to."""
    environment = plan.one(f"{AZ}:app:ManagedEnvironment").inputs
    assert environment["vnetConfiguration"]["infrastructureSubnetId"] == arm_id(
        plan, f"{AZ}:network:Subnet", "apps")
    vnet = plan.one(f"{AZ}:network:VirtualNetwork")
    apps = by_name(plan, f"{AZ}:network:Subnet", "apps").inputs
    assert apps["virtualNetworkName"] == mocked_state(plan, vnet)["name"]
    links = plan.of_type(f"{AZ}:privatedns:VirtualNetworkLink")
    assert links and all(link.inputs["virtualNetwork"]["id"] == arm_id(plan, vnet.type)
                         for link in links)
