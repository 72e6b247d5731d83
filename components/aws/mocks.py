"""Plausible AWS answers for the offline plan: ids, ARNs, endpoints, zones, the caller's account.

Deterministic (ids are hashes of the type and logical name), and shaped like the real thing so
that everything the platform reads back (ARNs in policies, the RDS-managed secret, the registry
URL, the image digest) is a real-looking value rather than ``None``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from config.schema import PlatformConfig

ACCOUNT_ID = "123456789012"

# Resource type -> the prefix AWS gives its ids.
_ID_PREFIXES = {
    "aws:ec2/vpc:Vpc": "vpc", "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:ec2/routeTable:RouteTable": "rtb", "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat", "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce", "aws:ec2/flowLog:FlowLog": "fl",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
}


def _digest(*parts: str, length: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


@dataclass(frozen=True)
class MockResponder:
    """Computed state per resource type, and answers for the invokes the AWS package uses."""

    platform: PlatformConfig

    def _arn(self, service: str, resource: str, *, region: bool = True) -> str:
        return f"arn:aws:{service}:{self.platform.region if region else ''}:{ACCOUNT_ID}:{resource}"

    def resource_state(self, type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        physical = str(inputs.get("name") or name)
        region = self.platform.region
        if type_ in _ID_PREFIXES:
            resource_id = f"{_ID_PREFIXES[type_]}-{_digest(type_, name)}"
            service = type_.split(":")[1].split("/")[0]
            kind = _ID_PREFIXES[type_]
            return {"id": resource_id, "arn": self._arn(service, f"{kind}/{resource_id}"),
                    "ownerId": ACCOUNT_ID}
        handler = getattr(self, "_" + type_.rsplit(":", 1)[-1].replace(".", "_"), None)
        if handler is not None and type_.startswith(("aws:", "docker-build:")):
            return handler(physical, name, inputs)
        service = type_.split(":")[1].split("/")[0] if type_.startswith("aws:") else "unknown"
        return {"arn": self._arn(service, f"{type_.rsplit(':', 1)[-1].lower()}/{physical}"),
                **({"region": region} if type_.startswith("aws:") else {})}

    # One handler per type whose computed outputs the platform reads.
    def _Bucket(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        bucket = str(inputs.get("bucket") or name)
        return {"id": bucket, "bucket": bucket, "arn": f"arn:aws:s3:::{bucket}",
                "bucketRegionalDomainName": f"{bucket}.s3.{self.platform.region}.amazonaws.com"}

    def _Key(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        d = _digest("kms", name, length=32)
        key_id = f"{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:32]}"
        return {"id": key_id, "keyId": key_id, "arn": self._arn("kms", f"key/{key_id}")}

    def _Secret(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        arn = self._arn("secretsmanager", f"secret:{physical}-{_digest(physical, length=6)}")
        return {"id": arn, "arn": arn}

    def _Instance(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        identifier = str(inputs.get("identifier") or name)
        cluster = _digest(identifier, length=11)
        host = f"{identifier}.c{cluster}.{self.platform.region}.rds.amazonaws.com"
        port = int(inputs.get("port") or 5432)
        resource_id = f"db-{_digest('rds', identifier, length=26).upper()}"
        secret_name = f"rds!{resource_id.lower()}-{_digest(identifier, length=6)}"
        secret = self._arn("secretsmanager", f"secret:{secret_name}")
        return {"id": identifier, "identifier": identifier, "address": host, "port": port,
                "endpoint": f"{host}:{port}", "resourceId": resource_id,
                "arn": self._arn("rds", f"db:{identifier}"),
                "masterUserSecrets": [{"secretArn": secret, "secretStatus": "active",
                                       "kmsKeyId": inputs.get("masterUserSecretKmsKeyId")
                                       or self._arn("kms", "alias/aws/secretsmanager")}]}

    def _LogGroup(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"id": physical, "arn": self._arn("logs", f"log-group:{physical}")}

    def _Role(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"id": physical, "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{physical}",
                "uniqueId": f"AROA{_digest(physical).upper()}"}

    def _RolePolicy(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"id": f"{inputs.get('role')}:{physical}"}

    def _Repository(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"id": physical, "arn": self._arn("ecr", f"repository/{physical}"),
                "registryId": ACCOUNT_ID,
                "repositoryUrl": f"{self._registry()}/{physical}"}

    def _registry(self) -> str:
        return f"{ACCOUNT_ID}.dkr.ecr.{self.platform.region}.amazonaws.com"

    def _Cluster(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        arn = self._arn("ecs", f"cluster/{physical}")
        return {"id": arn, "arn": arn}

    def _TaskDefinition(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        family = str(inputs.get("family") or name)
        base = self._arn("ecs", f"task-definition/{family}")
        return {"id": family, "arn": f"{base}:1", "arnWithoutRevision": base, "revision": 1}

    def _Queue(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        url = f"https://sqs.{self.platform.region}.amazonaws.com/{ACCOUNT_ID}/{physical}"
        return {"id": url, "url": url, "arn": self._arn("sqs", physical)}

    def _Topic(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        arn = self._arn("sns", physical)
        return {"id": arn, "arn": arn}

    def _MetricAlarm(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"id": physical, "arn": self._arn("cloudwatch", f"alarm:{physical}")}

    def _EventRule(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"id": physical, "arn": self._arn("events", f"rule/{physical}")}

    def _Schedule(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {"id": f"default/{physical}",
                "arn": self._arn("scheduler", f"schedule/default/{physical}")}

    def _Image(self, physical: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        tags = inputs.get("tags") or [f"{name}:latest"]
        digest = f"sha256:{_digest('image', str(tags[0]), length=64)}"
        return {"id": digest, "digest": digest, "ref": f"{tags[0]}@{digest}"}

    def call(self, token: str, args: dict[str, Any]) -> dict[str, Any]:
        region = self.platform.region
        if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            names = [f"{region}{z}" for z in "abc"]
            return {"names": names, "zoneIds": [f"{region[:3]}-az{i}" for i in (1, 2, 3)],
                    "id": region}
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT_ID, "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/ci",
                    "userId": "AIDAMOCK", "id": ACCOUNT_ID}
        if token == "aws:index/getRegion:getRegion":
            return {"name": region, "region": region, "id": region}
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
        if token == "aws:ecr/getAuthorizationToken:getAuthorizationToken":
            return {"authorizationToken": "QVdTOm1vY2s=", "userName": "AWS",
                    "password": "mock-registry-password", "expiresAt": "2030-01-01T00:00:00Z",
                    "proxyEndpoint": f"https://{self._registry()}",
                    "id": region}
        return {}
