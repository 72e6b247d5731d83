"""The VPC: private subnets per zone, NAT as a cost choice, an S3 endpoint, flow logs.

Nothing the platform runs has a public address: the job and the database sit in private
subnets; public subnets exist only to host NAT gateways. S3 traffic stays on the AWS network
through a gateway endpoint (free, and it keeps the bulk of the pipeline's bytes off NAT).
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.endpoints import EndpointsArgs, PrivateEndpoints
from components.aws.plans import subnet_plan
from components.aws.policies import Statement, assume_role, document, streams_of
from components.aws.security import SecurityGroups, SecurityGroupsArgs
from config.enums import NatMode


@dataclass(frozen=True)
class NetworkArgs:
    stack: str
    region: str
    cidr: IPv4Network
    zones: int
    nat: NatMode
    account_id: pulumi.Input[str]
    flow_log_retention_days: int


class Network(pulumi.ComponentResource):
    """VPC, subnets, routing, NAT, S3 gateway endpoint, flow logs and the security groups."""

    def __init__(self, name: str, args: NetworkArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        plan = subnet_plan(args.cidr, args.zones, args.nat)
        zones = aws.get_availability_zones_output(
            state="available", opts=pulumi.InvokeOutputOptions(parent=self)).names

        self.vpc = aws.ec2.Vpc("vpc", cidr_block=str(args.cidr), enable_dns_support=True,
                               enable_dns_hostnames=True,
                               tags={"Name": names.stack_name(args.stack, "vpc")}, opts=child)
        # Adopting the default security group with no rules strips everything it allowed.
        aws.ec2.DefaultSecurityGroup("default-sg", vpc_id=self.vpc.id, ingress=[], egress=[],
                                     opts=child)

        self.private_subnets = [self._subnet("private", i, net, zones, args.stack)
                                for i, net in enumerate(plan.private)]
        public_subnets = [self._subnet("public", i, net, zones, args.stack)
                          for i, net in enumerate(plan.public)]
        nat_ids = self._nat(public_subnets) if public_subnets else []

        private_tables = []
        for i, subnet in enumerate(self.private_subnets):
            table = aws.ec2.RouteTable(f"private-{i}", vpc_id=self.vpc.id, opts=child)
            if nat_ids:  # a single NAT serves every zone; per-zone NAT keeps traffic in-zone
                aws.ec2.Route(f"private-{i}-egress", route_table_id=table.id,
                              destination_cidr_block="0.0.0.0/0",
                              nat_gateway_id=nat_ids[min(i, len(nat_ids) - 1)], opts=child)
            aws.ec2.RouteTableAssociation(f"private-{i}", subnet_id=subnet.id,
                                          route_table_id=table.id, opts=child)
            private_tables.append(table)

        self.s3_endpoint = aws.ec2.VpcEndpoint(
            "s3", vpc_id=self.vpc.id, service_name=f"com.amazonaws.{args.region}.s3",
            vpc_endpoint_type="Gateway", route_table_ids=[t.id for t in private_tables],
            opts=child)
        self._flow_logs(args)

        groups = SecurityGroups("security", SecurityGroupsArgs(vpc_id=self.vpc.id), opts=child)
        self.task_security_group_id = groups.task.id
        self.database_security_group_id = groups.database.id
        self.private_subnet_ids = [s.id for s in self.private_subnets]
        if not nat_ids:  # without NAT, ECS reaches ECR, Logs and Secrets Manager privately
            PrivateEndpoints("endpoints", EndpointsArgs(
                region=args.region, vpc_id=self.vpc.id, subnet_ids=self.private_subnet_ids,
                client_security_group_id=groups.task.id), opts=child)
        self.register_outputs({
            "vpc_id": self.vpc.id,
            "private_subnet_ids": self.private_subnet_ids,
            "public_subnet_ids": [s.id for s in public_subnets],
            "nat_gateway_ids": nat_ids,
            "s3_endpoint_id": self.s3_endpoint.id,
            "task_security_group_id": self.task_security_group_id,
            "database_security_group_id": self.database_security_group_id,
        })

    def _subnet(self, tier: str, index: int, cidr: IPv4Network,
                zones: pulumi.Output[list[str]], stack: str) -> aws.ec2.Subnet:
        return aws.ec2.Subnet(
            f"{tier}-{index}", vpc_id=self.vpc.id, cidr_block=str(cidr),
            availability_zone=zones.apply(lambda names_, i=index: names_[i]),
            map_public_ip_on_launch=False,
            tags={"Name": names.stack_name(stack, f"{tier}-{index}"), "tier": tier},
            opts=pulumi.ResourceOptions(parent=self))

    def _nat(self, public_subnets: list[aws.ec2.Subnet]) -> list[pulumi.Output[str]]:
        """An internet gateway, a public route table, and one NAT gateway per public subnet."""
        child = pulumi.ResourceOptions(parent=self)
        gateway = aws.ec2.InternetGateway("igw", vpc_id=self.vpc.id, opts=child)
        table = aws.ec2.RouteTable("public", vpc_id=self.vpc.id, opts=child)
        aws.ec2.Route("public-internet", route_table_id=table.id,
                      destination_cidr_block="0.0.0.0/0", gateway_id=gateway.id, opts=child)
        nat_ids = []
        for i, subnet in enumerate(public_subnets):
            aws.ec2.RouteTableAssociation(f"public-{i}", subnet_id=subnet.id,
                                          route_table_id=table.id, opts=child)
            address = aws.ec2.Eip(f"nat-{i}", domain="vpc", opts=child)
            nat = aws.ec2.NatGateway(
                f"nat-{i}", allocation_id=address.id, subnet_id=subnet.id,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[gateway]))
            nat_ids.append(nat.id)
        return nat_ids

    def _flow_logs(self, args: NetworkArgs) -> None:
        """All VPC traffic to a log group of its own, written by a role scoped to that group."""
        child = pulumi.ResourceOptions(parent=self)
        group = aws.cloudwatch.LogGroup(
            "flow-logs", name=names.log_group_name("vpc", args.stack, "flow-logs"),
            retention_in_days=args.flow_log_retention_days, opts=child)
        role = aws.iam.Role(
            "flow-logs", name=names.role_name(args.stack, "flow-logs"),
            assume_role_policy=assume_role("vpc-flow-logs.amazonaws.com", args.account_id),
            opts=child)
        aws.iam.RolePolicy("flow-logs", role=role.id, policy=document(Statement(
            sid="WriteFlowLogs",
            actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources=[group.arn, streams_of(group.arn)],
        )), opts=child)
        aws.ec2.FlowLog("vpc", vpc_id=self.vpc.id, traffic_type="ALL",
                        log_destination_type="cloud-watch-logs", log_destination=group.arn,
                        iam_role_arn=role.arn, max_aggregation_interval=60, opts=child)
