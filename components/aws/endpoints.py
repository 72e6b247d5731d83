"""Interface endpoints that let a VPC *without NAT* still start the pipeline task.

With ``nat: none`` nothing in the private subnets reaches the internet, so ECS could neither
pull the image (ECR API + registry; layers come through the S3 gateway endpoint), ship logs,
nor inject secrets. These endpoints bring exactly those services into the VPC; they bill per
hour per zone, which is why they are only declared when NAT is off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws.security import HTTPS_PORT

SERVICES = ("ecr.api", "ecr.dkr", "logs", "secretsmanager")


@dataclass(frozen=True)
class EndpointsArgs:
    region: str
    vpc_id: pulumi.Input[str]
    subnet_ids: Sequence[pulumi.Input[str]]
    client_security_group_id: pulumi.Input[str]


class PrivateEndpoints(pulumi.ComponentResource):
    """One interface endpoint per service, reachable on 443 from the task's group only."""

    def __init__(self, name: str, args: EndpointsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:PrivateEndpoints", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
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
            service_name=f"com.amazonaws.{args.region}.{service}",
            vpc_endpoint_type="Interface", private_dns_enabled=True,
            subnet_ids=list(args.subnet_ids), security_group_ids=[group.id], opts=child)
            for service in SERVICES]
        self.register_outputs({"endpoint_ids": [e.id for e in self.endpoints],
                               "security_group_id": group.id})
