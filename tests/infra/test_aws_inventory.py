"""The checked-in inventory of every AWS stack: resource types and counts, compared on each run.

A change to what a stack creates must show up here, in review. When the change is intended,
regenerate the table below and commit the diff:

    .venv/bin/python -m tests.infra.test_aws_inventory --write
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.infra.test_aws_support import AWS_STACKS

# BEGIN INVENTORY (generated; see the module docstring)
INVENTORY: dict[str, dict[str, int]] = {
    'dev-aws': {
        'aws:cloudwatch/eventRule:EventRule': 1,
        'aws:cloudwatch/eventTarget:EventTarget': 1,
        'aws:cloudwatch/logGroup:LogGroup': 4,
        'aws:cloudwatch/logMetricFilter:LogMetricFilter': 1,
        'aws:cloudwatch/metricAlarm:MetricAlarm': 2,
        'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup': 1,
        'aws:ec2/eip:Eip': 1,
        'aws:ec2/flowLog:FlowLog': 1,
        'aws:ec2/internetGateway:InternetGateway': 1,
        'aws:ec2/natGateway:NatGateway': 1,
        'aws:ec2/route:Route': 3,
        'aws:ec2/routeTable:RouteTable': 3,
        'aws:ec2/routeTableAssociation:RouteTableAssociation': 3,
        'aws:ec2/securityGroup:SecurityGroup': 2,
        'aws:ec2/subnet:Subnet': 3,
        'aws:ec2/vpc:Vpc': 1,
        'aws:ec2/vpcEndpoint:VpcEndpoint': 1,
        'aws:ecr/lifecyclePolicy:LifecyclePolicy': 1,
        'aws:ecr/repository:Repository': 1,
        'aws:ecs/cluster:Cluster': 1,
        'aws:ecs/taskDefinition:TaskDefinition': 1,
        'aws:iam/role:Role': 4,
        'aws:iam/rolePolicy:RolePolicy': 4,
        'aws:rds/instance:Instance': 1,
        'aws:rds/parameterGroup:ParameterGroup': 1,
        'aws:rds/subnetGroup:SubnetGroup': 1,
        'aws:s3/bucket:Bucket': 2,
        'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': 2,
        'aws:s3/bucketOwnershipControls:BucketOwnershipControls': 2,
        'aws:s3/bucketPolicy:BucketPolicy': 2,
        'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': 2,
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': 2,
        'aws:s3/bucketVersioning:BucketVersioning': 2,
        'aws:scheduler/schedule:Schedule': 1,
        'aws:secretsmanager/secret:Secret': 1,
        'aws:secretsmanager/secretVersion:SecretVersion': 1,
        'aws:sns/topic:Topic': 1,
        'aws:sns/topicPolicy:TopicPolicy': 1,
        'aws:sns/topicSubscription:TopicSubscription': 1,
        'aws:sqs/queue:Queue': 1,
        'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': 2,
        'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': 1,
        'docker-build:index:Image': 1,
        'pulumi:providers:aws': 1,
        'pulumi:providers:docker-build': 1,
        'tricloud:aws:Bucket': 2,
        'tricloud:aws:Compute': 1,
        'tricloud:aws:Database': 1,
        'tricloud:aws:ImageRegistry': 1,
        'tricloud:aws:Monitoring': 1,
        'tricloud:aws:Network': 1,
        'tricloud:aws:Platform': 1,
        'tricloud:aws:SchedulerRole': 1,
        'tricloud:aws:Secrets': 1,
        'tricloud:aws:SecurityGroups': 1,
        'tricloud:aws:Storage': 1,
        'tricloud:aws:TaskRoles': 1,
    },
    'prod-aws': {
        'aws:cloudwatch/eventRule:EventRule': 1,
        'aws:cloudwatch/eventTarget:EventTarget': 1,
        'aws:cloudwatch/logGroup:LogGroup': 4,
        'aws:cloudwatch/logMetricFilter:LogMetricFilter': 1,
        'aws:cloudwatch/metricAlarm:MetricAlarm': 2,
        'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup': 1,
        'aws:ec2/eip:Eip': 3,
        'aws:ec2/flowLog:FlowLog': 1,
        'aws:ec2/internetGateway:InternetGateway': 1,
        'aws:ec2/natGateway:NatGateway': 3,
        'aws:ec2/route:Route': 4,
        'aws:ec2/routeTable:RouteTable': 4,
        'aws:ec2/routeTableAssociation:RouteTableAssociation': 6,
        'aws:ec2/securityGroup:SecurityGroup': 2,
        'aws:ec2/subnet:Subnet': 6,
        'aws:ec2/vpc:Vpc': 1,
        'aws:ec2/vpcEndpoint:VpcEndpoint': 1,
        'aws:ecr/lifecyclePolicy:LifecyclePolicy': 1,
        'aws:ecr/repository:Repository': 1,
        'aws:ecs/cluster:Cluster': 1,
        'aws:ecs/taskDefinition:TaskDefinition': 1,
        'aws:iam/role:Role': 4,
        'aws:iam/rolePolicy:RolePolicy': 4,
        'aws:kms/alias:Alias': 1,
        'aws:kms/key:Key': 1,
        'aws:rds/instance:Instance': 1,
        'aws:rds/parameterGroup:ParameterGroup': 1,
        'aws:rds/subnetGroup:SubnetGroup': 1,
        'aws:s3/bucket:Bucket': 2,
        'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': 2,
        'aws:s3/bucketOwnershipControls:BucketOwnershipControls': 2,
        'aws:s3/bucketPolicy:BucketPolicy': 2,
        'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': 2,
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': 2,
        'aws:s3/bucketVersioning:BucketVersioning': 2,
        'aws:scheduler/schedule:Schedule': 1,
        'aws:secretsmanager/secret:Secret': 1,
        'aws:secretsmanager/secretVersion:SecretVersion': 1,
        'aws:sns/topic:Topic': 1,
        'aws:sns/topicPolicy:TopicPolicy': 1,
        'aws:sns/topicSubscription:TopicSubscription': 2,
        'aws:sqs/queue:Queue': 1,
        'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': 2,
        'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': 1,
        'docker-build:index:Image': 1,
        'pulumi:providers:aws': 1,
        'pulumi:providers:docker-build': 1,
        'tricloud:aws:Bucket': 2,
        'tricloud:aws:Compute': 1,
        'tricloud:aws:DataKey': 1,
        'tricloud:aws:Database': 1,
        'tricloud:aws:ImageRegistry': 1,
        'tricloud:aws:Monitoring': 1,
        'tricloud:aws:Network': 1,
        'tricloud:aws:Platform': 1,
        'tricloud:aws:SchedulerRole': 1,
        'tricloud:aws:Secrets': 1,
        'tricloud:aws:SecurityGroups': 1,
        'tricloud:aws:Storage': 1,
        'tricloud:aws:TaskRoles': 1,
    },
    'prod-aws-us-east-1': {
        'aws:cloudwatch/eventRule:EventRule': 1,
        'aws:cloudwatch/eventTarget:EventTarget': 1,
        'aws:cloudwatch/logGroup:LogGroup': 4,
        'aws:cloudwatch/logMetricFilter:LogMetricFilter': 1,
        'aws:cloudwatch/metricAlarm:MetricAlarm': 2,
        'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup': 1,
        'aws:ec2/eip:Eip': 3,
        'aws:ec2/flowLog:FlowLog': 1,
        'aws:ec2/internetGateway:InternetGateway': 1,
        'aws:ec2/natGateway:NatGateway': 3,
        'aws:ec2/route:Route': 4,
        'aws:ec2/routeTable:RouteTable': 4,
        'aws:ec2/routeTableAssociation:RouteTableAssociation': 6,
        'aws:ec2/securityGroup:SecurityGroup': 2,
        'aws:ec2/subnet:Subnet': 6,
        'aws:ec2/vpc:Vpc': 1,
        'aws:ec2/vpcEndpoint:VpcEndpoint': 1,
        'aws:ecr/lifecyclePolicy:LifecyclePolicy': 1,
        'aws:ecr/repository:Repository': 1,
        'aws:ecs/cluster:Cluster': 1,
        'aws:ecs/taskDefinition:TaskDefinition': 1,
        'aws:iam/role:Role': 4,
        'aws:iam/rolePolicy:RolePolicy': 4,
        'aws:kms/alias:Alias': 1,
        'aws:kms/key:Key': 1,
        'aws:rds/instance:Instance': 1,
        'aws:rds/parameterGroup:ParameterGroup': 1,
        'aws:rds/subnetGroup:SubnetGroup': 1,
        'aws:s3/bucket:Bucket': 2,
        'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration': 2,
        'aws:s3/bucketOwnershipControls:BucketOwnershipControls': 2,
        'aws:s3/bucketPolicy:BucketPolicy': 2,
        'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock': 2,
        'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': 2,
        'aws:s3/bucketVersioning:BucketVersioning': 2,
        'aws:scheduler/schedule:Schedule': 1,
        'aws:secretsmanager/secret:Secret': 1,
        'aws:secretsmanager/secretVersion:SecretVersion': 1,
        'aws:sns/topic:Topic': 1,
        'aws:sns/topicPolicy:TopicPolicy': 1,
        'aws:sns/topicSubscription:TopicSubscription': 1,
        'aws:sqs/queue:Queue': 1,
        'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': 2,
        'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': 1,
        'docker-build:index:Image': 1,
        'pulumi:providers:aws': 1,
        'pulumi:providers:docker-build': 1,
        'tricloud:aws:Bucket': 2,
        'tricloud:aws:Compute': 1,
        'tricloud:aws:DataKey': 1,
        'tricloud:aws:Database': 1,
        'tricloud:aws:ImageRegistry': 1,
        'tricloud:aws:Monitoring': 1,
        'tricloud:aws:Network': 1,
        'tricloud:aws:Platform': 1,
        'tricloud:aws:SchedulerRole': 1,
        'tricloud:aws:Secrets': 1,
        'tricloud:aws:SecurityGroups': 1,
        'tricloud:aws:Storage': 1,
        'tricloud:aws:TaskRoles': 1,
    },
}
# END INVENTORY


def inventory(plan: object) -> dict[str, int]:
    return dict(sorted(Counter(r.type for r in plan.resources).items()))  # type: ignore[attr-defined]


@pytest.mark.parametrize("stack", AWS_STACKS)
def test_inventory_matches_the_checked_in_table(synth, stack):
    assert stack in INVENTORY, f"{stack} has no inventory; regenerate it (see the docstring)"
    assert inventory(synth(stack)) == INVENTORY[stack], (
        f"{stack} changed what it creates; if intended, regenerate (see the docstring)")


def test_prod_adds_availability_and_encryption_over_dev():
    dev, prod = INVENTORY["dev-aws"], INVENTORY["prod-aws"]
    assert prod["aws:ec2/subnet:Subnet"] > dev["aws:ec2/subnet:Subnet"]
    assert prod["aws:ec2/natGateway:NatGateway"] == 3 > dev["aws:ec2/natGateway:NatGateway"] == 1
    assert prod.get("aws:kms/key:Key") == 1 and "aws:kms/key:Key" not in dev


def _write() -> None:
    from tests.infra.conftest import _synth

    table = {stack: inventory(_synth(stack)) for stack in AWS_STACKS}
    lines = ["{"]
    for stack, counts in sorted(table.items()):
        lines.append(f"    {stack!r}: {{")
        lines += [f"        {type_!r}: {count}," for type_, count in counts.items()]
        lines.append("    },")
    body = "\n".join([*lines, "}"])
    path = Path(__file__)
    text = re.sub(r"(# BEGIN INVENTORY[^\n]*\n).*?(\n# END INVENTORY)",
                  lambda m: f"{m[1]}INVENTORY: dict[str, dict[str, int]] = {body}{m[2]}",
                  path.read_text(), flags=re.S)
    path.write_text(text)
    print(f"wrote the inventory of {', '.join(AWS_STACKS)} to {path}")


if __name__ == "__main__" and "--write" in sys.argv:
    _write()
