"""The checked-in inventory of every AWS stack: resource types and counts, and the values of
the security-relevant inputs (PINNED), compared on each run.

A change to what a stack creates, or to a default that protects it, must show up here, in
review. When the change is intended, regenerate the tables below and commit the diff:

    .venv/bin/python -m tests.infra.test_aws_inventory
"""

from __future__ import annotations

import pytest

from tests.infra.inventory import assert_matches, assert_values, regenerate
from tests.infra.support_aws import AWS_STACKS

# The inputs whose values are pinned below: what keeps the stack private, encrypted,
# recoverable and retained. A changed default shows as a diff of VALUES.
PINNED: dict[str, tuple[str, ...]] = {
    "aws:s3/bucket:Bucket": ("forceDestroy",),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (
        "blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": ("rule.objectOwnership",),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm",),
    "aws:s3/bucketVersioning:BucketVersioning": ("versioningConfiguration.status",),
    "aws:s3/bucketLogging:BucketLogging": ("targetPrefix",),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (
        "rules.0.noncurrentVersionExpiration.noncurrentDays",
        "rules.0.abortIncompleteMultipartUpload.daysAfterInitiation"),
    "aws:rds/instance:Instance": (
        "publiclyAccessible", "storageEncrypted", "deletionProtection", "skipFinalSnapshot",
        "backupRetentionPeriod", "multiAz", "iamDatabaseAuthenticationEnabled",
        "manageMasterUserPassword", "monitoringInterval", "performanceInsightsEnabled"),
    "aws:rds/parameterGroup:ParameterGroup": ("parameters.0.name", "parameters.0.value"),
    "aws:ec2/subnet:Subnet": ("mapPublicIpOnLaunch",),
    "aws:ecr/repository:Repository": ("imageTagMutability", "imageScanningConfiguration.scanOnPush",
                                      "forceDelete"),
    "aws:kms/key:Key": ("enableKeyRotation", "deletionWindowInDays"),
    "aws:secretsmanager/secret:Secret": ("recoveryWindowInDays",),
    "aws:cloudwatch/logGroup:LogGroup": ("retentionInDays",),
    "aws:sqs/queue:Queue": ("sqsManagedSseEnabled",),
}

# BEGIN INVENTORY (generated; see the module docstring)
EXPECTED: dict[str, dict[str, int]] = {
    "dev-aws": {
        "aws:cloudwatch/eventRule:EventRule": 1,
        "aws:cloudwatch/eventTarget:EventTarget": 1,
        "aws:cloudwatch/logGroup:LogGroup": 4,
        "aws:cloudwatch/logMetricFilter:LogMetricFilter": 1,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 2,
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
        "aws:ec2/eip:Eip": 1,
        "aws:ec2/flowLog:FlowLog": 1,
        "aws:ec2/internetGateway:InternetGateway": 1,
        "aws:ec2/natGateway:NatGateway": 1,
        "aws:ec2/route:Route": 3,
        "aws:ec2/routeTable:RouteTable": 3,
        "aws:ec2/routeTableAssociation:RouteTableAssociation": 3,
        "aws:ec2/securityGroup:SecurityGroup": 2,
        "aws:ec2/subnet:Subnet": 3,
        "aws:ec2/vpc:Vpc": 1,
        "aws:ec2/vpcEndpoint:VpcEndpoint": 1,
        "aws:ecr/lifecyclePolicy:LifecyclePolicy": 1,
        "aws:ecr/repository:Repository": 1,
        "aws:ecs/cluster:Cluster": 1,
        "aws:ecs/taskDefinition:TaskDefinition": 1,
        "aws:iam/role:Role": 5,
        "aws:iam/rolePolicy:RolePolicy": 5,
        "aws:rds/instance:Instance": 1,
        "aws:rds/parameterGroup:ParameterGroup": 1,
        "aws:rds/subnetGroup:SubnetGroup": 1,
        "aws:s3/bucket:Bucket": 3,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 3,
        "aws:s3/bucketLogging:BucketLogging": 2,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 3,
        "aws:s3/bucketPolicy:BucketPolicy": 3,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 3,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 3,
        "aws:s3/bucketVersioning:BucketVersioning": 3,
        "aws:scheduler/schedule:Schedule": 1,
        "aws:secretsmanager/secret:Secret": 1,
        "aws:secretsmanager/secretVersion:SecretVersion": 1,
        "aws:sns/topic:Topic": 1,
        "aws:sns/topicPolicy:TopicPolicy": 1,
        "aws:sns/topicSubscription:TopicSubscription": 1,
        "aws:sqs/queue:Queue": 1,
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
        "docker-build:index:Image": 1,
        "pulumi:providers:aws": 1,
        "pulumi:providers:docker-build": 1,
        "tricloud:aws:Bucket": 3,
        "tricloud:aws:Database": 1,
        "tricloud:aws:Identities": 1,
        "tricloud:aws:ImageRegistry": 1,
        "tricloud:aws:Job": 1,
        "tricloud:aws:Monitoring": 1,
        "tricloud:aws:Network": 1,
        "tricloud:aws:Platform": 1,
        "tricloud:aws:SchedulerRole": 1,
        "tricloud:aws:Secrets": 1,
        "tricloud:aws:SecurityGroups": 1,
        "tricloud:aws:Storage": 1,
    },
    "prod-aws": {
        "aws:cloudwatch/eventRule:EventRule": 1,
        "aws:cloudwatch/eventTarget:EventTarget": 1,
        "aws:cloudwatch/logGroup:LogGroup": 4,
        "aws:cloudwatch/logMetricFilter:LogMetricFilter": 1,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 2,
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
        "aws:ec2/eip:Eip": 3,
        "aws:ec2/flowLog:FlowLog": 1,
        "aws:ec2/internetGateway:InternetGateway": 1,
        "aws:ec2/natGateway:NatGateway": 3,
        "aws:ec2/route:Route": 4,
        "aws:ec2/routeTable:RouteTable": 4,
        "aws:ec2/routeTableAssociation:RouteTableAssociation": 6,
        "aws:ec2/securityGroup:SecurityGroup": 2,
        "aws:ec2/subnet:Subnet": 6,
        "aws:ec2/vpc:Vpc": 1,
        "aws:ec2/vpcEndpoint:VpcEndpoint": 1,
        "aws:ecr/lifecyclePolicy:LifecyclePolicy": 1,
        "aws:ecr/repository:Repository": 1,
        "aws:ecs/cluster:Cluster": 1,
        "aws:ecs/taskDefinition:TaskDefinition": 1,
        "aws:iam/role:Role": 5,
        "aws:iam/rolePolicy:RolePolicy": 5,
        "aws:kms/alias:Alias": 1,
        "aws:kms/key:Key": 1,
        "aws:rds/instance:Instance": 1,
        "aws:rds/parameterGroup:ParameterGroup": 1,
        "aws:rds/subnetGroup:SubnetGroup": 1,
        "aws:s3/bucket:Bucket": 3,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 3,
        "aws:s3/bucketLogging:BucketLogging": 2,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 3,
        "aws:s3/bucketPolicy:BucketPolicy": 3,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 3,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 3,
        "aws:s3/bucketVersioning:BucketVersioning": 3,
        "aws:scheduler/schedule:Schedule": 1,
        "aws:secretsmanager/secret:Secret": 1,
        "aws:secretsmanager/secretVersion:SecretVersion": 1,
        "aws:sns/topic:Topic": 1,
        "aws:sns/topicPolicy:TopicPolicy": 1,
        "aws:sns/topicSubscription:TopicSubscription": 2,
        "aws:sqs/queue:Queue": 1,
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
        "docker-build:index:Image": 1,
        "pulumi:providers:aws": 1,
        "pulumi:providers:docker-build": 1,
        "tricloud:aws:Bucket": 3,
        "tricloud:aws:DataKey": 1,
        "tricloud:aws:Database": 1,
        "tricloud:aws:Identities": 1,
        "tricloud:aws:ImageRegistry": 1,
        "tricloud:aws:Job": 1,
        "tricloud:aws:Monitoring": 1,
        "tricloud:aws:Network": 1,
        "tricloud:aws:Platform": 1,
        "tricloud:aws:SchedulerRole": 1,
        "tricloud:aws:Secrets": 1,
        "tricloud:aws:SecurityGroups": 1,
        "tricloud:aws:Storage": 1,
    },
    "prod-aws-us-east-1": {
        "aws:cloudwatch/eventRule:EventRule": 1,
        "aws:cloudwatch/eventTarget:EventTarget": 1,
        "aws:cloudwatch/logGroup:LogGroup": 4,
        "aws:cloudwatch/logMetricFilter:LogMetricFilter": 1,
        "aws:cloudwatch/metricAlarm:MetricAlarm": 2,
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
        "aws:ec2/eip:Eip": 3,
        "aws:ec2/flowLog:FlowLog": 1,
        "aws:ec2/internetGateway:InternetGateway": 1,
        "aws:ec2/natGateway:NatGateway": 3,
        "aws:ec2/route:Route": 4,
        "aws:ec2/routeTable:RouteTable": 4,
        "aws:ec2/routeTableAssociation:RouteTableAssociation": 6,
        "aws:ec2/securityGroup:SecurityGroup": 2,
        "aws:ec2/subnet:Subnet": 6,
        "aws:ec2/vpc:Vpc": 1,
        "aws:ec2/vpcEndpoint:VpcEndpoint": 1,
        "aws:ecr/lifecyclePolicy:LifecyclePolicy": 1,
        "aws:ecr/repository:Repository": 1,
        "aws:ecs/cluster:Cluster": 1,
        "aws:ecs/taskDefinition:TaskDefinition": 1,
        "aws:iam/role:Role": 5,
        "aws:iam/rolePolicy:RolePolicy": 5,
        "aws:kms/alias:Alias": 1,
        "aws:kms/key:Key": 1,
        "aws:rds/instance:Instance": 1,
        "aws:rds/parameterGroup:ParameterGroup": 1,
        "aws:rds/subnetGroup:SubnetGroup": 1,
        "aws:s3/bucket:Bucket": 3,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 3,
        "aws:s3/bucketLogging:BucketLogging": 2,
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 3,
        "aws:s3/bucketPolicy:BucketPolicy": 3,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 3,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 3,
        "aws:s3/bucketVersioning:BucketVersioning": 3,
        "aws:scheduler/schedule:Schedule": 1,
        "aws:secretsmanager/secret:Secret": 1,
        "aws:secretsmanager/secretVersion:SecretVersion": 1,
        "aws:sns/topic:Topic": 1,
        "aws:sns/topicPolicy:TopicPolicy": 1,
        "aws:sns/topicSubscription:TopicSubscription": 1,
        "aws:sqs/queue:Queue": 1,
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 2,
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 1,
        "docker-build:index:Image": 1,
        "pulumi:providers:aws": 1,
        "pulumi:providers:docker-build": 1,
        "tricloud:aws:Bucket": 3,
        "tricloud:aws:DataKey": 1,
        "tricloud:aws:Database": 1,
        "tricloud:aws:Identities": 1,
        "tricloud:aws:ImageRegistry": 1,
        "tricloud:aws:Job": 1,
        "tricloud:aws:Monitoring": 1,
        "tricloud:aws:Network": 1,
        "tricloud:aws:Platform": 1,
        "tricloud:aws:SchedulerRole": 1,
        "tricloud:aws:Secrets": 1,
        "tricloud:aws:SecurityGroups": 1,
        "tricloud:aws:Storage": 1,
    },
}
# END INVENTORY

# BEGIN VALUES (generated; see the module docstring)
VALUES: dict[str, dict[str, object]] = {
    "dev-aws": {
        "cloudwatch/logGroup:LogGroup flow-logs retentionInDays": 14,
        "cloudwatch/logGroup:LogGroup job retentionInDays": 14,
        "cloudwatch/logGroup:LogGroup rds-postgresql retentionInDays": 14,
        "cloudwatch/logGroup:LogGroup rds-upgrade retentionInDays": 14,
        "ec2/subnet:Subnet private-0 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet private-1 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet public-0 mapPublicIpOnLaunch": False,
        "ecr/repository:Repository pipeline forceDelete": True,
        "ecr/repository:Repository pipeline imageScanningConfiguration.scanOnPush": True,
        "ecr/repository:Repository pipeline imageTagMutability": "IMMUTABLE",
        "rds/instance:Instance warehouse backupRetentionPeriod": 7,
        "rds/instance:Instance warehouse deletionProtection": False,
        "rds/instance:Instance warehouse iamDatabaseAuthenticationEnabled": True,
        "rds/instance:Instance warehouse manageMasterUserPassword": True,
        "rds/instance:Instance warehouse monitoringInterval": 60,
        "rds/instance:Instance warehouse multiAz": False,
        "rds/instance:Instance warehouse performanceInsightsEnabled": True,
        "rds/instance:Instance warehouse publiclyAccessible": False,
        "rds/instance:Instance warehouse skipFinalSnapshot": True,
        "rds/instance:Instance warehouse storageEncrypted": True,
        "rds/parameterGroup:ParameterGroup warehouse parameters.0.name": "rds.force_ssl",
        "rds/parameterGroup:ParameterGroup warehouse parameters.0.value": "1",
        "s3/bucket:Bucket access-logs forceDestroy": True,
        "s3/bucket:Bucket processed forceDestroy": True,
        "s3/bucket:Bucket raw forceDestroy": True,
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration access-logs rules.0.abortIncompleteMultipartUpload.daysAfterInitiation": 7,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration access-logs rules.0.noncurrentVersionExpiration.noncurrentDays": 30,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration processed rules.0.abortIncompleteMultipartUpload.daysAfterInitiation": 7,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration processed rules.0.noncurrentVersionExpiration.noncurrentDays": 30,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration raw rules.0.abortIncompleteMultipartUpload.daysAfterInitiation": 7,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration raw rules.0.noncurrentVersionExpiration.noncurrentDays": 30,  # noqa: E501
        "s3/bucketLogging:BucketLogging processed targetPrefix": "processed/",
        "s3/bucketLogging:BucketLogging raw targetPrefix": "raw/",
        "s3/bucketOwnershipControls:BucketOwnershipControls access-logs rule.objectOwnership": "BucketOwnerEnforced",  # noqa: E501
        "s3/bucketOwnershipControls:BucketOwnershipControls processed rule.objectOwnership": "BucketOwnerEnforced",  # noqa: E501
        "s3/bucketOwnershipControls:BucketOwnershipControls raw rule.objectOwnership": "BucketOwnerEnforced",  # noqa: E501
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs blockPublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs blockPublicPolicy": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs ignorePublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs restrictPublicBuckets": True,  # noqa: E501
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed blockPublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed blockPublicPolicy": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed ignorePublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed restrictPublicBuckets": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw blockPublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw blockPublicPolicy": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw ignorePublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw restrictPublicBuckets": True,
        "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration access-logs rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "AES256",  # noqa: E501
        "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration processed rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "AES256",  # noqa: E501
        "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration raw rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "AES256",  # noqa: E501
        "s3/bucketVersioning:BucketVersioning access-logs versioningConfiguration.status": "Enabled",  # noqa: E501
        "s3/bucketVersioning:BucketVersioning processed versioningConfiguration.status": "Enabled",
        "s3/bucketVersioning:BucketVersioning raw versioningConfiguration.status": "Enabled",
        "secretsmanager/secret:Secret source-url recoveryWindowInDays": 7,
        "sqs/queue:Queue schedule-dlq sqsManagedSseEnabled": True,
    },
    "prod-aws": {
        "cloudwatch/logGroup:LogGroup flow-logs retentionInDays": 90,
        "cloudwatch/logGroup:LogGroup job retentionInDays": 90,
        "cloudwatch/logGroup:LogGroup rds-postgresql retentionInDays": 90,
        "cloudwatch/logGroup:LogGroup rds-upgrade retentionInDays": 90,
        "ec2/subnet:Subnet private-0 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet private-1 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet private-2 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet public-0 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet public-1 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet public-2 mapPublicIpOnLaunch": False,
        "ecr/repository:Repository pipeline forceDelete": False,
        "ecr/repository:Repository pipeline imageScanningConfiguration.scanOnPush": True,
        "ecr/repository:Repository pipeline imageTagMutability": "IMMUTABLE",
        "kms/key:Key data deletionWindowInDays": 30,
        "kms/key:Key data enableKeyRotation": True,
        "rds/instance:Instance warehouse backupRetentionPeriod": 30,
        "rds/instance:Instance warehouse deletionProtection": True,
        "rds/instance:Instance warehouse iamDatabaseAuthenticationEnabled": True,
        "rds/instance:Instance warehouse manageMasterUserPassword": True,
        "rds/instance:Instance warehouse monitoringInterval": 60,
        "rds/instance:Instance warehouse multiAz": True,
        "rds/instance:Instance warehouse performanceInsightsEnabled": True,
        "rds/instance:Instance warehouse publiclyAccessible": False,
        "rds/instance:Instance warehouse skipFinalSnapshot": False,
        "rds/instance:Instance warehouse storageEncrypted": True,
        "rds/parameterGroup:ParameterGroup warehouse parameters.0.name": "rds.force_ssl",
        "rds/parameterGroup:ParameterGroup warehouse parameters.0.value": "1",
        "s3/bucket:Bucket access-logs forceDestroy": False,
        "s3/bucket:Bucket processed forceDestroy": False,
        "s3/bucket:Bucket raw forceDestroy": False,
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration access-logs rules.0.abortIncompleteMultipartUpload.daysAfterInitiation": 7,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration access-logs rules.0.noncurrentVersionExpiration.noncurrentDays": 30,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration processed rules.0.abortIncompleteMultipartUpload.daysAfterInitiation": 7,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration processed rules.0.noncurrentVersionExpiration.noncurrentDays": 30,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration raw rules.0.abortIncompleteMultipartUpload.daysAfterInitiation": 7,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration raw rules.0.noncurrentVersionExpiration.noncurrentDays": 30,  # noqa: E501
        "s3/bucketLogging:BucketLogging processed targetPrefix": "processed/",
        "s3/bucketLogging:BucketLogging raw targetPrefix": "raw/",
        "s3/bucketOwnershipControls:BucketOwnershipControls access-logs rule.objectOwnership": "BucketOwnerEnforced",  # noqa: E501
        "s3/bucketOwnershipControls:BucketOwnershipControls processed rule.objectOwnership": "BucketOwnerEnforced",  # noqa: E501
        "s3/bucketOwnershipControls:BucketOwnershipControls raw rule.objectOwnership": "BucketOwnerEnforced",  # noqa: E501
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs blockPublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs blockPublicPolicy": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs ignorePublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs restrictPublicBuckets": True,  # noqa: E501
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed blockPublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed blockPublicPolicy": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed ignorePublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed restrictPublicBuckets": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw blockPublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw blockPublicPolicy": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw ignorePublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw restrictPublicBuckets": True,
        "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration access-logs rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "AES256",  # noqa: E501
        "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration processed rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "aws:kms",  # noqa: E501
        "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration raw rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "aws:kms",  # noqa: E501
        "s3/bucketVersioning:BucketVersioning access-logs versioningConfiguration.status": "Enabled",  # noqa: E501
        "s3/bucketVersioning:BucketVersioning processed versioningConfiguration.status": "Enabled",
        "s3/bucketVersioning:BucketVersioning raw versioningConfiguration.status": "Enabled",
        "secretsmanager/secret:Secret source-url recoveryWindowInDays": 7,
        "sqs/queue:Queue schedule-dlq sqsManagedSseEnabled": True,
    },
    "prod-aws-us-east-1": {
        "cloudwatch/logGroup:LogGroup flow-logs retentionInDays": 90,
        "cloudwatch/logGroup:LogGroup job retentionInDays": 90,
        "cloudwatch/logGroup:LogGroup rds-postgresql retentionInDays": 90,
        "cloudwatch/logGroup:LogGroup rds-upgrade retentionInDays": 90,
        "ec2/subnet:Subnet private-0 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet private-1 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet private-2 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet public-0 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet public-1 mapPublicIpOnLaunch": False,
        "ec2/subnet:Subnet public-2 mapPublicIpOnLaunch": False,
        "ecr/repository:Repository pipeline forceDelete": False,
        "ecr/repository:Repository pipeline imageScanningConfiguration.scanOnPush": True,
        "ecr/repository:Repository pipeline imageTagMutability": "IMMUTABLE",
        "kms/key:Key data deletionWindowInDays": 30,
        "kms/key:Key data enableKeyRotation": True,
        "rds/instance:Instance warehouse backupRetentionPeriod": 30,
        "rds/instance:Instance warehouse deletionProtection": True,
        "rds/instance:Instance warehouse iamDatabaseAuthenticationEnabled": True,
        "rds/instance:Instance warehouse manageMasterUserPassword": True,
        "rds/instance:Instance warehouse monitoringInterval": 60,
        "rds/instance:Instance warehouse multiAz": True,
        "rds/instance:Instance warehouse performanceInsightsEnabled": True,
        "rds/instance:Instance warehouse publiclyAccessible": False,
        "rds/instance:Instance warehouse skipFinalSnapshot": False,
        "rds/instance:Instance warehouse storageEncrypted": True,
        "rds/parameterGroup:ParameterGroup warehouse parameters.0.name": "rds.force_ssl",
        "rds/parameterGroup:ParameterGroup warehouse parameters.0.value": "1",
        "s3/bucket:Bucket access-logs forceDestroy": False,
        "s3/bucket:Bucket processed forceDestroy": False,
        "s3/bucket:Bucket raw forceDestroy": False,
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration access-logs rules.0.abortIncompleteMultipartUpload.daysAfterInitiation": 7,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration access-logs rules.0.noncurrentVersionExpiration.noncurrentDays": 30,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration processed rules.0.abortIncompleteMultipartUpload.daysAfterInitiation": 7,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration processed rules.0.noncurrentVersionExpiration.noncurrentDays": 30,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration raw rules.0.abortIncompleteMultipartUpload.daysAfterInitiation": 7,  # noqa: E501
        "s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration raw rules.0.noncurrentVersionExpiration.noncurrentDays": 30,  # noqa: E501
        "s3/bucketLogging:BucketLogging processed targetPrefix": "processed/",
        "s3/bucketLogging:BucketLogging raw targetPrefix": "raw/",
        "s3/bucketOwnershipControls:BucketOwnershipControls access-logs rule.objectOwnership": "BucketOwnerEnforced",  # noqa: E501
        "s3/bucketOwnershipControls:BucketOwnershipControls processed rule.objectOwnership": "BucketOwnerEnforced",  # noqa: E501
        "s3/bucketOwnershipControls:BucketOwnershipControls raw rule.objectOwnership": "BucketOwnerEnforced",  # noqa: E501
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs blockPublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs blockPublicPolicy": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs ignorePublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock access-logs restrictPublicBuckets": True,  # noqa: E501
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed blockPublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed blockPublicPolicy": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed ignorePublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock processed restrictPublicBuckets": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw blockPublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw blockPublicPolicy": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw ignorePublicAcls": True,
        "s3/bucketPublicAccessBlock:BucketPublicAccessBlock raw restrictPublicBuckets": True,
        "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration access-logs rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "AES256",  # noqa: E501
        "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration processed rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "aws:kms",  # noqa: E501
        "s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration raw rules.0.applyServerSideEncryptionByDefault.sseAlgorithm": "aws:kms",  # noqa: E501
        "s3/bucketVersioning:BucketVersioning access-logs versioningConfiguration.status": "Enabled",  # noqa: E501
        "s3/bucketVersioning:BucketVersioning processed versioningConfiguration.status": "Enabled",
        "s3/bucketVersioning:BucketVersioning raw versioningConfiguration.status": "Enabled",
        "secretsmanager/secret:Secret source-url recoveryWindowInDays": 7,
        "sqs/queue:Queue schedule-dlq sqsManagedSseEnabled": True,
    },
}
# END VALUES


@pytest.mark.parametrize("stack", AWS_STACKS)
def test_inventory_matches_the_checked_in_table(synth, stack):
    assert_matches(synth(stack), EXPECTED, __name__)


@pytest.mark.parametrize("stack", AWS_STACKS)
def test_security_relevant_values_match_the_checked_in_table(synth, stack):
    assert_values(synth(stack), VALUES, PINNED, __name__)


def test_prod_adds_availability_and_encryption_over_dev():
    dev, prod = EXPECTED["dev-aws"], EXPECTED["prod-aws"]
    assert prod["aws:ec2/subnet:Subnet"] > dev["aws:ec2/subnet:Subnet"]
    assert prod["aws:ec2/natGateway:NatGateway"] == 3 > dev["aws:ec2/natGateway:NatGateway"] == 1
    assert prod.get("aws:kms/key:Key") == 1 and "aws:kms/key:Key" not in dev


if __name__ == "__main__":
    regenerate(__file__, AWS_STACKS, PINNED)
