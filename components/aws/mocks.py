"""Plausible AWS answers for the offline plan: ARNs, zones, the caller's account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from config.schema import PlatformConfig

ACCOUNT_ID = "123456789012"


@dataclass(frozen=True)
class AwsMockResponder:
    platform: PlatformConfig

    def resource_state(self, type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        service = type_.split(":")[1].split("/")[0]
        physical = inputs.get("bucket") or inputs.get("name") or name
        state: dict[str, Any] = {
            "arn": f"arn:aws:{service}:{self.platform.region}:{ACCOUNT_ID}:{physical}",
        }
        if type_ == "aws:s3/bucket:Bucket" or type_ == "aws:s3/bucketV2:BucketV2":
            state.update(bucket=physical, arn=f"arn:aws:s3:::{physical}")
        return state

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
        return {}
