"""Network secure defaults: custom-mode VPC, private subnet, NAT, private services, no ingress."""

from __future__ import annotations

import ipaddress

import pytest

from components.gcp.network import PRIVATE_SERVICES, WORKLOADS, address_plan
from config.enums import NatMode
from tests.infra.support_gcp import platform_of

CLOUD = "gcp"


def test_vpc_is_custom_mode(plan):
    vpc = plan.one("gcp:compute/network:Network")
    assert vpc.inputs["autoCreateSubnetworks"] is False


def test_subnet_is_the_planned_block_with_private_google_access(plan):
    subnet = plan.one("gcp:compute/subnetwork:Subnetwork").inputs
    cidr = platform_of(plan.stack).network.cidr
    assert subnet["ipCidrRange"] == str(address_plan(cidr)[WORKLOADS])
    assert ipaddress.ip_network(subnet["ipCidrRange"]).subnet_of(cidr)
    assert subnet["privateIpGoogleAccess"] is True
    assert subnet["region"] == platform_of(plan.stack).region


def test_subnet_has_flow_logs(plan):
    log = plan.one("gcp:compute/subnetwork:Subnetwork").inputs.get("logConfig") or {}
    assert log.get("flowSampling", 0) > 0
    assert log.get("metadata") == "INCLUDE_ALL_METADATA"


def test_cloud_nat_serves_the_subnet(plan):
    if platform_of(plan.stack).network.nat is NatMode.NONE:
        assert not plan.of_type("gcp:compute/routerNat:RouterNat")
        return
    nat = plan.one("gcp:compute/routerNat:RouterNat").inputs
    subnet = plan.one("gcp:compute/subnetwork:Subnetwork")
    assert nat["sourceSubnetworkIpRangesToNat"] == "LIST_OF_SUBNETWORKS"
    assert [s["name"].rsplit("/", 1)[-1] for s in nat["subnetworks"]] == [subnet.name]
    assert nat["logConfig"]["enable"] is True
    assert plan.one("gcp:compute/router:Router")


def test_private_services_access_uses_the_reserved_range(plan):
    reserved = plan.one("gcp:compute/globalAddress:GlobalAddress")
    block = address_plan(platform_of(plan.stack).network.cidr)[PRIVATE_SERVICES]
    assert reserved.inputs["purpose"] == "VPC_PEERING"
    assert reserved.inputs["addressType"] == "INTERNAL"
    assert (reserved.inputs["address"], reserved.inputs["prefixLength"]) == (
        str(block.network_address), block.prefixlen)
    connection = plan.one("gcp:servicenetworking/connection:Connection").inputs
    assert connection["service"] == "servicenetworking.googleapis.com"
    assert connection["reservedPeeringRanges"] == [reserved.name]


def test_address_blocks_do_not_overlap(plan):
    blocks = address_plan(platform_of(plan.stack).network.cidr)
    assert not blocks[WORKLOADS].overlaps(blocks[PRIVATE_SERVICES])
    assert blocks[PRIVATE_SERVICES].prefixlen <= 24  # the smallest range the API accepts


def test_ingress_is_denied_by_default(plan):
    rules = plan.of_type("gcp:compute/firewall:Firewall")
    deny = [r.inputs for r in rules if r.inputs.get("denies")]
    assert any(d["direction"] == "INGRESS" and d["sourceRanges"] == ["0.0.0.0/0"]
               and d["denies"] == [{"protocol": "all"}] for d in deny)


def test_nothing_is_allowed_in_from_the_internet(plan):
    for rule in plan.of_type("gcp:compute/firewall:Firewall"):
        if rule.inputs.get("allows") and rule.inputs.get("direction", "INGRESS") == "INGRESS":
            assert "0.0.0.0/0" not in rule.inputs.get("sourceRanges", []), rule.name


@pytest.mark.parametrize("prefix", [16, 19, 22])
def test_address_plan_fits_every_allowed_range(prefix):
    blocks = address_plan(ipaddress.ip_network(f"10.40.0.0/{prefix}"))
    assert blocks[PRIVATE_SERVICES].prefixlen <= 24 and blocks[WORKLOADS].prefixlen <= 26
