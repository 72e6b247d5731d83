"""The VPC: private subnets per zone, NAT as a cost choice, an S3 endpoint, flow logs.

Nothing the platform runs has a public address: the job and the database sit in private
subnets; public subnets exist only to host NAT gateways. S3 traffic stays on the AWS network
through a gateway endpoint (free, and it keeps the bulk of the pipeline's bytes off NAT).

Security groups: the job may only call out; the database admits only the job. Rules are separate
``aws.vpc`` rule resources rather than inline blocks, so adding one never replaces the group and
each rule shows as its own line in a plan diff.

With ``nat: none`` nothing in the private subnets reaches the internet, so ECS could neither pull
the image (ECR API + registry; layers come through the S3 gateway endpoint), ship logs, nor
inject secrets: interface endpoints bring exactly those services into the VPC. They bill per hour
per zone, which is why they are only declared when NAT is off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Network

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.plans import subnet_plan
from components.aws.policies import Statement, assume_role, document, streams_of
from components.aws.scope import Scope
from config.enums import NatMode

POSTGRES_PORT = 5432
HTTPS_PORT = 443
# Interface endpoints declared when NAT is off, so ECS can still start the task.
SERVICES = ("ecr.api", "ecr.dkr", "logs", "secretsmanager")


@dataclass(frozen=True)
class SecurityGroupsArgs:
    vpc_id: pulumi.Input[str]


class SecurityGroups(pulumi.ComponentResource):
    """The pipeline task's group (egress only) and the database's (5432 from the task only)."""

    def __init__(self, name: str, args: SecurityGroupsArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:SecurityGroups", name, None, opts)
        child = scope.child(self)
        self.task = aws.ec2.SecurityGroup(
            "task", vpc_id=args.vpc_id, description="tricloud pipeline task: outbound only",
            opts=child)
        self.database = aws.ec2.SecurityGroup(
            "database", vpc_id=args.vpc_id,
            description="tricloud warehouse: PostgreSQL from the pipeline task only", opts=child)

        # The job pulls its image and reaches AWS APIs over HTTPS, and reads the OLTP source,
        # which may live anywhere, on 5432. Nothing may connect *to* the task.
        for port, purpose in ((HTTPS_PORT, "AWS APIs and the image registry"),
                              (POSTGRES_PORT, "the source and warehouse databases")):
            aws.vpc.SecurityGroupEgressRule(
                f"task-out-{port}", security_group_id=self.task.id, ip_protocol="tcp",
                from_port=port, to_port=port, cidr_ipv4="0.0.0.0/0",
                description=f"to {purpose}", opts=child)
        aws.vpc.SecurityGroupIngressRule(
            "database-from-task", security_group_id=self.database.id, ip_protocol="tcp",
            from_port=POSTGRES_PORT, to_port=POSTGRES_PORT,
            referenced_security_group_id=self.task.id,
            description="PostgreSQL from the pipeline task", opts=child)
        self.register_outputs({"task_security_group_id": self.task.id,
                               "database_security_group_id": self.database.id})


@dataclass(frozen=True)
class EndpointsArgs:
    vpc_id: pulumi.Input[str]
    subnet_ids: Sequence[pulumi.Input[str]]
    client_security_group_id: pulumi.Input[str]


class PrivateEndpoints(pulumi.ComponentResource):
    """One interface endpoint per service, reachable on 443 from the task's group only."""

    def __init__(self, name: str, args: EndpointsArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:PrivateEndpoints", name, None, opts)
        child = scope.child(self)
        group = aws.ec2.SecurityGroup(
            "endpoints", vpc_id=args.vpc_id,
            description="tricloud interface endpoints: HTTPS from the pipeline task", opts=child)
        aws.vpc.SecurityGroupIngressRule(
            "endpoints-from-task", security_group_id=group.id, ip_protocol="tcp",
            from_port=HTTPS_PORT, to_port=HTTPS_PORT,
            referenced_security_group_id=args.client_security_group_id,
            description="HTTPS from the pipeline task", opts=child)
        self.endpoints = [aws.ec2.VpcEndpoint(
            service.replace(".", "-"), vpc_id=args.vpc_id,
            service_name=f"com.amazonaws.{scope.region}.{service}",
            vpc_endpoint_type="Interface", private_dns_enabled=True,
            subnet_ids=list(args.subnet_ids), security_group_ids=[group.id], opts=child)
            for service in SERVICES]
        self.register_outputs({"endpoint_ids": [e.id for e in self.endpoints],
                               "security_group_id": group.id})


@dataclass(frozen=True)
class NetworkArgs:
    cidr: IPv4Network
    zones: int
    nat: NatMode
    flow_log_retention_days: int


class Network(pulumi.ComponentResource):
    """VPC, subnets, routing, NAT, S3 gateway endpoint, flow logs and the security groups."""

    def __init__(self, name: str, args: NetworkArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Network", name, None, opts)
        child = scope.child(self)
        plan = subnet_plan(args.cidr, args.zones, args.nat)
        zones = aws.get_availability_zones_output(
            state="available", opts=scope.invoke(self)).names

        self.vpc = aws.ec2.Vpc("vpc", cidr_block=str(args.cidr), enable_dns_support=True,
                               enable_dns_hostnames=True,
                               tags={"Name": names.stack_name(scope.stack, "vpc")}, opts=child)
        # Adopting the default security group with no rules strips everything it allowed.
        aws.ec2.DefaultSecurityGroup("default-sg", vpc_id=self.vpc.id, ingress=[], egress=[],
                                     opts=child)

        self.private_subnets = [self._subnet(scope, "private", i, net, zones)
                                for i, net in enumerate(plan.private)]
        public_subnets = [self._subnet(scope, "public", i, net, zones)
                          for i, net in enumerate(plan.public)]
        nat_ids = self._nat(scope, public_subnets) if public_subnets else []

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
            "s3", vpc_id=self.vpc.id, service_name=f"com.amazonaws.{scope.region}.s3",
            vpc_endpoint_type="Gateway", route_table_ids=[t.id for t in private_tables],
            opts=child)
        self._flow_logs(args, scope)

        groups = SecurityGroups("security", SecurityGroupsArgs(vpc_id=self.vpc.id), scope,
                                opts=pulumi.ResourceOptions(parent=self))
        self.task_security_group_id = groups.task.id
        self.database_security_group_id = groups.database.id
        self.private_subnet_ids = [s.id for s in self.private_subnets]
        if not nat_ids:  # without NAT, ECS reaches ECR, Logs and Secrets Manager privately
            PrivateEndpoints("endpoints", EndpointsArgs(
                vpc_id=self.vpc.id, subnet_ids=self.private_subnet_ids,
                client_security_group_id=groups.task.id), scope,
                opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({
            "vpc_id": self.vpc.id,
            "private_subnet_ids": self.private_subnet_ids,
            "public_subnet_ids": [s.id for s in public_subnets],
            "nat_gateway_ids": nat_ids,
            "s3_endpoint_id": self.s3_endpoint.id,
            "task_security_group_id": self.task_security_group_id,
            "database_security_group_id": self.database_security_group_id,
        })

    def _subnet(self, scope: Scope, tier: str, index: int, cidr: IPv4Network,
                zones: pulumi.Output[list[str]]) -> aws.ec2.Subnet:
        return aws.ec2.Subnet(
            f"{tier}-{index}", vpc_id=self.vpc.id, cidr_block=str(cidr),
            availability_zone=zones.apply(lambda names_, i=index: names_[i]),
            map_public_ip_on_launch=False,
            tags={"Name": names.stack_name(scope.stack, f"{tier}-{index}"), "tier": tier},
            opts=scope.child(self))

    def _nat(self, scope: Scope,
             public_subnets: list[aws.ec2.Subnet]) -> list[pulumi.Output[str]]:
        """An internet gateway, a public route table, and one NAT gateway per public subnet."""
        child = scope.child(self)
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
                opts=scope.child(self, depends_on=[gateway]))
            nat_ids.append(nat.id)
        return nat_ids

    def _flow_logs(self, args: NetworkArgs, scope: Scope) -> None:
        """All VPC traffic to a log group of its own, written by a role scoped to that group."""
        child = scope.child(self)
        group = aws.cloudwatch.LogGroup(
            "flow-logs", name=names.log_group_name("vpc", scope.stack, "flow-logs"),
            retention_in_days=args.flow_log_retention_days, kms_key_id=scope.kms_key_arn,
            opts=child)
        role = aws.iam.Role(
            "flow-logs", name=names.role_name(scope.stack, "flow-logs"),
            assume_role_policy=assume_role("vpc-flow-logs.amazonaws.com", scope.account_id),
            opts=child)
        aws.iam.RolePolicy("flow-logs", role=role.id, policy=document(Statement(
            sid="WriteFlowLogs",
            actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources=[group.arn, streams_of(group.arn)],
        )), opts=child)
        aws.ec2.FlowLog("vpc", vpc_id=self.vpc.id, traffic_type="ALL",
                        log_destination_type="cloud-watch-logs", log_destination=group.arn,
                        iam_role_arn=role.arn, max_aggregation_interval=60, opts=child)
