"""Security groups: the job may only call out; the database admits only the job.

Rules are separate ``aws.vpc`` rule resources rather than inline blocks, so adding one never
replaces the group and each rule shows as its own line in a plan diff.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

POSTGRES_PORT = 5432
HTTPS_PORT = 443


@dataclass(frozen=True)
class SecurityGroupsArgs:
    vpc_id: pulumi.Input[str]


class SecurityGroups(pulumi.ComponentResource):
    """The pipeline task's group (egress only) and the database's (5432 from the task only)."""

    def __init__(self, name: str, args: SecurityGroupsArgs,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:SecurityGroups", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
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
