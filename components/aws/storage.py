"""The raw and processed buckets: private, owner-enforced, encrypted, versioned, TLS-only.

Each bucket's settings are separate resources (the provider's current model), so each secure
default is visible, testable and changeable on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.policies import Statement, document, objects_of
from components.aws.scope import Scope
from config.schema import StorageConfig

ZONES = ("raw", "processed")
RAW_INFREQUENT_ACCESS_DAYS = 30
RAW_GLACIER_IR_DAYS = 180


@dataclass(frozen=True)
class StorageArgs:
    retention: StorageConfig  # how long old versions and unfinished uploads are kept
    zones: tuple[str, ...] = ZONES


class Bucket(pulumi.ComponentResource):
    """One data bucket with every secure default the platform promises."""

    def __init__(self, zone: str, args: StorageArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Bucket", zone, None, opts)
        child = scope.child(self)
        self.bucket = aws.s3.Bucket(
            zone, bucket=scope.account_id.apply(lambda a: names.bucket_name(scope.stack, zone, a)),
            force_destroy=not scope.ctx.protect_data,
            opts=scope.data(self))
        block = aws.s3.BucketPublicAccessBlock(
            zone, bucket=self.bucket.id, block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True, opts=child)
        aws.s3.BucketOwnershipControls(zone, bucket=self.bucket.id, rule={
            "object_ownership": "BucketOwnerEnforced"}, opts=child)
        by_default = ({"sse_algorithm": "aws:kms", "kms_master_key_id": scope.kms_key_arn}
                      if scope.kms_key_arn is not None else {"sse_algorithm": "AES256"})
        aws.s3.BucketServerSideEncryptionConfiguration(zone, bucket=self.bucket.id, rules=[{
            "apply_server_side_encryption_by_default": by_default,
            "bucket_key_enabled": scope.kms_key_arn is not None}], opts=child)
        versioning = aws.s3.BucketVersioning(zone, bucket=self.bucket.id, versioning_configuration={
            "status": "Enabled"}, opts=child)
        aws.s3.BucketLifecycleConfiguration(
            zone, bucket=self.bucket.id, rules=lifecycle_rules(zone, args.retention),
            opts=scope.child(self, depends_on=[versioning]))
        aws.s3.BucketPolicy(zone, bucket=self.bucket.id, policy=document(Statement(
            sid="DenyInsecureTransport", effect="Deny", actions=["s3:*"],
            principals={"AWS": "*"},
            resources=[self.bucket.arn, objects_of(self.bucket.arn)],
            conditions={"Bool": {"aws:SecureTransport": "false"}},
        )), opts=scope.child(self, depends_on=[block]))
        self.uri = self.bucket.bucket.apply(lambda b: f"s3://{b}")
        self.register_outputs({"bucket": self.bucket.bucket, "arn": self.bucket.arn,
                               "uri": self.uri})


def lifecycle_rules(zone: str, retention: StorageConfig) -> list[dict[str, object]]:
    """Old versions expire; raw data, written once and rarely re-read, moves to cheaper classes."""
    rules: list[dict[str, object]] = [{
        "id": "expire-noncurrent-versions", "status": "Enabled", "filter": {},
        "noncurrent_version_expiration": {
            "noncurrent_days": retention.noncurrent_version_days},
        "abort_incomplete_multipart_upload": {
            "days_after_initiation": retention.incomplete_upload_days},
    }]
    if zone == "raw":
        rules.append({
            "id": "tier-old-raw-data", "status": "Enabled", "filter": {},
            "transitions": [
                {"days": RAW_INFREQUENT_ACCESS_DAYS, "storage_class": "STANDARD_IA"},
                {"days": RAW_GLACIER_IR_DAYS, "storage_class": "GLACIER_IR"},
            ],
        })
    return rules


class Storage(pulumi.ComponentResource):
    """The two data zones of the pipeline."""

    def __init__(self, name: str, args: StorageArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Storage", name, None, opts)
        self.buckets = {zone: Bucket(zone, args, scope, pulumi.ResourceOptions(parent=self))
                        for zone in args.zones}
        self.arns = [b.bucket.arn for b in self.buckets.values()]
        self.register_outputs({f"{zone}_uri": b.uri for zone, b in self.buckets.items()})
