"""Azure network: VNet on the stack's range, delegated subnets behind NSGs, private DNS."""

from __future__ import annotations

import ipaddress

import pytest

from components.azure.network import APPS_DELEGATION, DATABASE_DELEGATION, POSTGRES_ZONE_SUFFIX
from tests.infra.support_azure import AZ, arm_id, by_name, platform_of

CLOUD = "azure"


def test_vnet_uses_the_stacks_range_and_subnets_fit_inside(plan):
    cidr = platform_of(plan.stack).network.cidr
    vnet = plan.one(f"{AZ}:network:VirtualNetwork")
    assert vnet.inputs["addressSpace"]["addressPrefixes"] == [str(cidr)]
    nets = [ipaddress.ip_network(s.inputs["addressPrefix"])
            for s in plan.of_type(f"{AZ}:network:Subnet")]
    assert len(nets) == 2 and all(n.subnet_of(cidr) for n in nets)
    assert not nets[0].overlaps(nets[1])


@pytest.mark.parametrize(("subnet", "service"),
                         [("apps", APPS_DELEGATION), ("database", DATABASE_DELEGATION)])
def test_subnets_are_delegated(plan, subnet, service):
    inputs = by_name(plan, f"{AZ}:network:Subnet", subnet).inputs
    assert [d["serviceName"] for d in inputs["delegations"]] == [service]


@pytest.mark.parametrize("subnet", ["apps", "database"])
def test_every_subnet_has_an_nsg_denying_internet_inbound(plan, subnet):
    inputs = by_name(plan, f"{AZ}:network:Subnet", subnet).inputs
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
    zone = plan.one(f"{AZ}:privatedns:PrivateZone")
    assert zone.inputs["privateZoneName"].endswith("." + POSTGRES_ZONE_SUFFIX)
    link = plan.one(f"{AZ}:privatedns:VirtualNetworkLink")
    assert link.inputs["virtualNetwork"]["id"] == arm_id(plan, f"{AZ}:network:VirtualNetwork")
    assert link.inputs["privateZoneName"] == zone.inputs["privateZoneName"]
    assert link.inputs["registrationEnabled"] is False
