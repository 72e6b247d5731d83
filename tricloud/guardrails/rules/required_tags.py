"""(f) A taggable resource without the standard tags (or GCP labels).

Only types that accept tags are judged, each through the property that holds them. Tags a
provider adds to everything it creates (AWS ``default_tags``, GCP ``default_labels``) count,
but only where the provider really applies them: GCP's default labels reach ``labels`` fields,
not ``user_labels`` ones, and azure-native has no default tags at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from config.schema import STANDARD_TAG_KEYS
from tricloud.guardrails.model import Resource, Rule, Severity, StackFacts
from tricloud.guardrails.read import TypeTable, as_mapping, dig

REQUIRED = STANDARD_TAG_KEYS


@dataclass(frozen=True)
class TagsAt:
    """Where a type keeps its tags, and where its provider keeps defaults that reach them."""

    path: str
    provider_defaults: str | None = None


AWS = TagsAt("tags", "defaultTags.tags")
GCP = TagsAt("labels", "defaultLabels")
GCP_USER = TagsAt("userLabels")
AZURE = TagsAt("tags")

_AWS_TAGGABLE = (
    "cloudwatch/eventRule:EventRule", "cloudwatch/logGroup:LogGroup",
    "cloudwatch/metricAlarm:MetricAlarm", "ec2/eip:Eip", "ec2/flowLog:FlowLog",
    "ec2/internetGateway:InternetGateway", "ec2/natGateway:NatGateway",
    "ec2/routeTable:RouteTable", "ec2/securityGroup:SecurityGroup", "ec2/subnet:Subnet",
    "ec2/vpc:Vpc", "ec2/vpcEndpoint:VpcEndpoint", "ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "ecr/repository:Repository", "ecs/cluster:Cluster", "ecs/taskDefinition:TaskDefinition",
    "iam/role:Role", "iam/policy:Policy", "kms/key:Key", "rds/instance:Instance",
    "rds/parameterGroup:ParameterGroup", "rds/subnetGroup:SubnetGroup", "s3/bucket:Bucket",
    "s3/bucketV2:BucketV2", "secretsmanager/secret:Secret", "sns/topic:Topic", "sqs/queue:Queue",
    "vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "vpc/securityGroupEgressRule:SecurityGroupEgressRule",
)
_GCP_LABELLED = (
    "storage/bucket:Bucket", "artifactregistry/repository:Repository", "cloudrunv2/job:Job",
    "secretmanager/secret:Secret", "kms/cryptoKey:CryptoKey", "compute/globalAddress:GlobalAddress",
)
_GCP_USER_LABELLED = ("monitoring/alertPolicy:AlertPolicy",
                      "monitoring/notificationChannel:NotificationChannel")
_AZURE_TAGGABLE = (
    "app:Job", "app:ManagedEnvironment", "containerregistry:Registry", "dbforpostgresql:Server",
    "keyvault:Secret", "keyvault:Vault", "managedidentity:UserAssignedIdentity",
    "monitor:ActionGroup", "monitor:ScheduledQueryRule", "network:NatGateway",
    "network:NetworkSecurityGroup", "network:PublicIPAddress", "network:VirtualNetwork",
    "operationalinsights:Workspace", "privatedns:PrivateZone", "privatedns:VirtualNetworkLink",
    "resources:ResourceGroup", "storage:StorageAccount",
)

PLACES = TypeTable({
    **{f"aws:{t}": AWS for t in _AWS_TAGGABLE},
    **{f"gcp:{t}": GCP for t in _GCP_LABELLED},
    **{f"gcp:{t}": GCP_USER for t in _GCP_USER_LABELLED},
    "gcp:sql/databaseInstance:DatabaseInstance": TagsAt("settings.userLabels"),
    **{f"azure-native:{t}": AZURE for t in _AZURE_TAGGABLE},
})


def effective_tags(resource: Resource, place: TagsAt) -> Mapping[str, Any]:
    defaults: Mapping[str, Any] = {}
    if place.provider_defaults and resource.provider_inputs is not None:
        defaults = as_mapping(dig(resource.provider_inputs, place.provider_defaults))
    return {**defaults, **as_mapping(dig(resource.inputs, place.path))}


def check(resource: Resource, facts: StackFacts) -> Iterator[str]:
    place = PLACES.get(resource.type)
    if place is None:
        return
    tags = effective_tags(resource, place)
    missing = [k for k in REQUIRED if not tags.get(k)]
    if missing:
        yield f"{place.path} lack {', '.join(missing)}"
    elif tags.get("environment") != facts.environment and facts.environment:
        yield f"environment tag {tags.get('environment')!r} is not {facts.environment!r}"


RULE = Rule(
    id="missing-tags", severity=Severity.MANDATORY,
    title="a taggable resource without the standard tags or labels",
    fixes={
        "aws": "create it with the stack's explicit provider (its default_tags carry project, "
               "environment, stack, managed-by)",
        "gcp": "create it with the stack's provider (default_labels) or pass "
               "as_gcp_labels(ctx.tags) to its user_labels",
        "azure": "pass tags=ctx.tags (azure-native has no provider default tags)",
    },
    clouds=PLACES.clouds, check=check,
)
