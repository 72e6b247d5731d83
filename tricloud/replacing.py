"""Which input changes force a resource to be replaced: one table, read by the mocks and the diff.

Pulumi decides replace-versus-update from each provider's schema, which an offline plan does not
have. This table is the part of that knowledge tricloud is certain of (from the providers'
docs): a property listed here cannot change in place. The offline mocks give a resource a new
id when one of these inputs changes (``tricloud.mocks``), so whatever refers to it changes too;
the diff calls a resource *replaced* when one of these inputs changed. Anything not listed is
reported as an update, and the diff's legend says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Type -> properties that force a new resource. A key ending in ":*" applies to every type of
# that package. Deliberately small: an entry must be certain.
REPLACE_ON_CHANGE: dict[str, frozenset[str]] = {
    "aws:s3/bucket:Bucket": frozenset({"bucket"}),
    "aws:ec2/vpc:Vpc": frozenset({"cidrBlock"}),
    "aws:ec2/subnet:Subnet": frozenset({"cidrBlock", "availabilityZone", "vpcId"}),
    "aws:ec2/securityGroup:SecurityGroup": frozenset({"vpcId", "name"}),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": frozenset({"vpcId"}),
    "aws:ec2/routeTable:RouteTable": frozenset({"vpcId"}),
    "aws:ec2/route:Route": frozenset({"routeTableId", "destinationCidrBlock"}),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": frozenset({"subnetId", "gatewayId"}),
    "aws:ec2/natGateway:NatGateway": frozenset({"subnetId", "allocationId", "connectivityType"}),
    "aws:ec2/vpcEndpoint:VpcEndpoint": frozenset({"vpcId", "serviceName", "vpcEndpointType"}),
    "aws:ec2/flowLog:FlowLog": frozenset({"vpcId", "subnetId", "trafficType",
                                          "logDestination", "logDestinationType"}),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": frozenset({"securityGroupId"}),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": frozenset({"securityGroupId"}),
    "aws:rds/subnetGroup:SubnetGroup": frozenset({"name"}),
    "aws:rds/instance:Instance": frozenset({"dbName", "engine", "storageEncrypted", "username",
                                            "kmsKeyId"}),
    "aws:secretsmanager/secret:Secret": frozenset({"name"}),
    "aws:kms/key:Key": frozenset({"customerMasterKeySpec", "keyUsage"}),
    "gcp:storage/bucket:Bucket": frozenset({"name", "location"}),
    "gcp:sql/databaseInstance:DatabaseInstance": frozenset({"region"}),
    "gcp:compute/subnetwork:Subnetwork": frozenset({"network", "region"}),
    # Artifact Registry takes its CMEK only at creation.
    "gcp:artifactregistry/repository:Repository": frozenset(
        {"repositoryId", "location", "format", "kmsKeyName"}),
    # An Azure resource's id contains its resource group (and its location is fixed at creation).
    "azure-native:*": frozenset({"location", "resourceGroupName"}),
}


def forcing_properties(type_: str) -> frozenset[str]:
    """The top-level input names whose change replaces a resource of this type."""
    package = type_.split(":", 1)[0]
    return REPLACE_ON_CHANGE.get(type_, frozenset()) | REPLACE_ON_CHANGE.get(
        f"{package}:*", frozenset())


def forcing_values(type_: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The values of a resource's replacing inputs that are set, by name."""
    return {k: inputs[k] for k in sorted(forcing_properties(type_))
            if inputs.get(k) not in (None, "", [], {})}
