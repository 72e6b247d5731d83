"""The AWS network's secure defaults, on every AWS stack's synthesised plan."""

from __future__ import annotations

from ipaddress import IPv4Network

import pytest

from components.aws.plans import public_zone_count, subnet_plan
from tests.infra.support_aws import by_name, id_of, platform_of

CLOUD = "aws"

OPEN = {"0.0.0.0/0", "::/0"}
SUBNET = "aws:ec2/subnet:Subnet"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"


def _tier(plan, tier):
    return [r for r in plan.of_type(SUBNET) if r.inputs["tags"]["tier"] == tier]


def test_vpc_uses_the_stack_range_with_dns(plan):
    vpc = plan.one("aws:ec2/vpc:Vpc").inputs
    assert vpc["cidrBlock"] == str(platform_of(plan.stack).network.cidr)
    assert vpc["enableDnsSupport"] and vpc["enableDnsHostnames"]


def test_private_subnets_one_per_zone_in_distinct_zones(plan):
    network = platform_of(plan.stack).network
    private = _tier(plan, "private")
    assert len(private) == network.zones == (3 if plan.environment == "prod" else 2)
    assert len({s.inputs["availabilityZone"] for s in private}) == network.zones
    expected = subnet_plan(network.cidr, network.zones, network.nat)
    assert sorted(IPv4Network(s.inputs["cidrBlock"]) for s in private) == sorted(expected.private)


def test_no_subnet_gives_out_public_addresses(plan):
    assert all(s.inputs.get("mapPublicIpOnLaunch") is False for s in plan.of_type(SUBNET))


def test_public_subnets_and_nat_only_as_the_nat_mode_needs(plan):
    network = platform_of(plan.stack).network
    wanted = public_zone_count(network.nat, network.zones)
    assert wanted == (network.zones if plan.environment == "prod" else 1)
    assert len(_tier(plan, "public")) == wanted
    assert len(plan.of_type("aws:ec2/natGateway:NatGateway")) == wanted
    assert len(plan.of_type("aws:ec2/eip:Eip")) == wanted


def test_each_private_zone_routes_out_through_nat(plan):
    routes = [r for r in plan.of_type("aws:ec2/route:Route") if r.name.startswith("private-")]
    assert len(routes) == platform_of(plan.stack).network.zones
    assert all(r.inputs.get("natGatewayId") and not r.inputs.get("gatewayId") for r in routes)
    if plan.environment == "prod":  # one NAT per zone: no zone depends on another's NAT
        assert len({r.inputs["natGatewayId"] for r in routes}) == len(routes)


def test_s3_gateway_endpoint_on_every_private_route_table(plan):
    endpoint = plan.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs
    assert endpoint["vpcEndpointType"] == "Gateway"
    assert endpoint["serviceName"] == f"com.amazonaws.{plan.region}.s3"
    private_tables = {id_of(plan, r) for r in plan.of_type("aws:ec2/routeTable:RouteTable")
                      if r.name.startswith("private-")}
    assert set(endpoint["routeTableIds"]) == private_tables


def test_flow_logs_capture_all_traffic_to_a_retained_log_group(plan):
    flow = plan.one("aws:ec2/flowLog:FlowLog").inputs
    assert flow["trafficType"] == "ALL"
    assert flow["logDestinationType"] == "cloud-watch-logs"
    group = by_name(plan, "aws:cloudwatch/logGroup:LogGroup", "flow-logs").inputs
    assert group["retentionInDays"] == platform_of(plan.stack).monitoring.log_retention_days


def test_default_security_group_is_stripped_of_all_rules(plan):
    default = plan.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs
    assert default.get("ingress") == [] and default.get("egress") == []


def test_no_security_group_admits_the_internet(plan):
    for rule in plan.of_type(INGRESS):
        assert rule.inputs.get("cidrIpv4") not in OPEN and rule.inputs.get("cidrIpv6") not in OPEN
    for group in plan.of_type("aws:ec2/securityGroup:SecurityGroup"):
        for inline in group.inputs.get("ingress") or []:
            assert not OPEN & set(inline.get("cidrBlocks", []) + inline.get("ipv6CidrBlocks", []))


def test_database_admits_only_the_task_security_group_on_5432(plan):
    database_sg = id_of(plan, by_name(plan, "aws:ec2/securityGroup:SecurityGroup", "database"))
    task_sg = id_of(plan, by_name(plan, "aws:ec2/securityGroup:SecurityGroup", "task"))
    rules = [r.inputs for r in plan.of_type(INGRESS) if r.inputs["securityGroupId"] == database_sg]
    assert len(rules) == 1
    rule = rules[0]
    assert (rule["fromPort"], rule["toPort"], rule["ipProtocol"]) == (5432, 5432, "tcp")
    assert rule["referencedSecurityGroupId"] == task_sg
    assert "cidrIpv4" not in rule and "cidrIpv6" not in rule
    instance = plan.one("aws:rds/instance:Instance").inputs
    assert instance["vpcSecurityGroupIds"] == [database_sg]


def test_nothing_may_connect_to_the_task(plan):
    task_sg = id_of(plan, by_name(plan, "aws:ec2/securityGroup:SecurityGroup", "task"))
    assert not [r for r in plan.of_type(INGRESS) if r.inputs["securityGroupId"] == task_sg]


@pytest.fixture(scope="module")
def no_nat_plan(tmp_path_factory):
    """dev-aws with ``nat: none``: a stack shape no checked-in file uses, synthesised once."""
    import yaml

    from config.stacks import STACKS_DIR
    from tricloud.synth import synthesize

    document = yaml.safe_load((STACKS_DIR / "Pulumi.dev-aws.yaml").read_text())
    document["config"]["tricloud:platform"]["network"]["nat"] = "none"
    path = tmp_path_factory.mktemp("stacks") / "Pulumi.dev-aws.yaml"
    path.write_text(yaml.safe_dump(document))
    return synthesize(path)


def test_without_nat_there_is_no_public_subnet_and_ecs_reaches_aws_privately(no_nat_plan):
    plan = no_nat_plan
    assert not _tier(plan, "public")
    assert not plan.of_type("aws:ec2/natGateway:NatGateway")
    assert not plan.of_type("aws:ec2/internetGateway:InternetGateway")
    endpoints = {r.inputs["serviceName"].removeprefix(f"com.amazonaws.{plan.region}.")
                 for r in plan.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")}
    assert endpoints == {"s3", "ecr.api", "ecr.dkr", "logs", "secretsmanager"}
    task_sg = id_of(plan, by_name(plan, "aws:ec2/securityGroup:SecurityGroup", "task"))
    endpoint_sg = id_of(plan, by_name(plan, "aws:ec2/securityGroup:SecurityGroup", "endpoints"))
    (rule,) = [r.inputs for r in plan.of_type(INGRESS)
               if r.inputs["securityGroupId"] == endpoint_sg]
    assert rule["referencedSecurityGroupId"] == task_sg and rule["fromPort"] == 443
