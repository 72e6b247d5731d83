"""The raw and processed zones as GCS buckets, private and versioned.

Uniform bucket-level access means IAM is the only way in (no object ACLs to audit), public access
prevention is enforced regardless of later IAM mistakes, and versioning plus lifecycle rules keep
overwritten objects (the watermarks file) recoverable for a while without growing forever.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp import names
from components.gcp.keys import DataKey, DataKeyArgs
from components.gcp.scope import Scope
from components.naming import physical_name
from config.schema import StorageConfig

ZONES: tuple[str, ...] = ("raw", "processed")
NEWER_VERSIONS_KEPT = 3


@dataclass(frozen=True)
class StorageArgs:
    customer_managed_key: bool
    retention: StorageConfig  # how long old versions and unfinished uploads are kept


def lifecycle_rules(retention: StorageConfig) -> list[gcp.storage.BucketLifecycleRuleArgs]:
    """Old versions expire; abandoned multipart uploads are cleaned up."""
    delete = gcp.storage.BucketLifecycleRuleActionArgs(type="Delete")
    return [
        gcp.storage.BucketLifecycleRuleArgs(
            action=delete, condition=gcp.storage.BucketLifecycleRuleConditionArgs(
                days_since_noncurrent_time=retention.noncurrent_version_days,
                with_state="ARCHIVED")),
        gcp.storage.BucketLifecycleRuleArgs(
            action=delete, condition=gcp.storage.BucketLifecycleRuleConditionArgs(
                num_newer_versions=NEWER_VERSIONS_KEPT, with_state="ARCHIVED")),
        gcp.storage.BucketLifecycleRuleArgs(
            action=gcp.storage.BucketLifecycleRuleActionArgs(type="AbortIncompleteMultipartUpload"),
            condition=gcp.storage.BucketLifecycleRuleConditionArgs(
                age=retention.incomplete_upload_days)),
    ]


class Storage(pulumi.ComponentResource):
    """Two buckets (``raw``, ``processed``) and, when asked, the key that encrypts them."""

    buckets: dict[str, gcp.storage.Bucket]
    uris: dict[str, pulumi.Output[str]]

    def __init__(self, name: str, args: StorageArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Storage", name, None, opts)
        encryption = None
        waits: list[pulumi.Resource] = []
        if args.customer_managed_key:
            key = DataKey("storage-key", DataKeyArgs(purpose="storage"), scope,
                          opts=pulumi.ResourceOptions(parent=self))
            encryption = gcp.storage.BucketEncryptionArgs(default_kms_key_name=key.key.id)
            waits.append(key.binding)  # the agent must hold the key before the bucket uses it
        protect = scope.ctx.protect_data
        self.buckets = {
            zone: gcp.storage.Bucket(
                zone,
                name=physical_name(names.BUCKET, "tricloud", scope.ctx.stack, zone,
                                   unique_for=f"{scope.project}/{scope.ctx.stack}"),
                location=scope.region, storage_class="STANDARD",
                uniform_bucket_level_access=True, public_access_prevention="enforced",
                versioning=gcp.storage.BucketVersioningArgs(enabled=True),
                lifecycle_rules=lifecycle_rules(args.retention), encryption=encryption,
                force_destroy=not protect, labels={**scope.labels, "zone": zone},
                opts=scope.data(self, depends_on=waits))
            for zone in ZONES
        }
        self.uris = {zone: b.name.apply(lambda n: f"gs://{n}") for zone, b in self.buckets.items()}
        self.register_outputs({f"{zone}_uri": uri for zone, uri in self.uris.items()})
