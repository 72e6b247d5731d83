"""The raw and processed zones as GCS buckets, private and versioned.

Uniform bucket-level access means IAM is the only way in (no object ACLs to audit), public access
prevention is enforced regardless of later IAM mistakes, and versioning plus lifecycle rules keep
overwritten objects (the watermarks file) recoverable for a while without growing forever.

Access to the buckets is logged with Cloud Audit Logs (Data Access: object reads and writes), not
with a usage-log bucket: audit entries name the caller's identity, arrive within seconds, are
queried and alerted on like every other log, and live in a log bucket whose retention the
guardrails check, while usage logs are hourly CSV files without the principal, in one more bucket
that would itself need hardening, retention and logging. The entries are routed to a log bucket
kept ``monitoring.log_retention_days``, since the project's ``_Default`` bucket keeps 30 days.
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


# Reads and writes of objects; ADMIN_READ (bucket metadata) would only add the job's listings.
AUDITED = ("DATA_READ", "DATA_WRITE")


@dataclass(frozen=True)
class StorageArgs:
    customer_managed_key: bool
    retention: StorageConfig  # how long old versions and unfinished uploads are kept
    log_retention_days: int  # how long the buckets' access log entries are kept


def access_filter(bucket_names: list[str]) -> str:
    """The Data Access audit entries of exactly these buckets."""
    names_ = " OR ".join(f'"{n}"' for n in bucket_names)
    return ('logName:"cloudaudit.googleapis.com%2Fdata_access" AND '
            f'resource.type="gcs_bucket" AND resource.labels.bucket_name=({names_})')


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
    # The stack's customer-managed key (prod), also used by the image registry; else None.
    key: DataKey | None

    def __init__(self, name: str, args: StorageArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Storage", name, None, opts)
        encryption = None
        waits: list[pulumi.Resource] = []
        self.key = None
        if args.customer_managed_key:
            self.key = DataKey("storage-key", DataKeyArgs(purpose="storage"), scope,
                               opts=pulumi.ResourceOptions(parent=self))
            encryption = gcp.storage.BucketEncryptionArgs(default_kms_key_name=self.key.key.id)
            waits.append(self.key.binding)  # the agent must hold the key before a bucket uses it
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
        self._access_logs(scope, args.log_retention_days)
        self.register_outputs({f"{zone}_uri": uri for zone, uri in self.uris.items()})

    def _access_logs(self, scope: Scope, retention_days: int) -> None:
        """Data Access audit logs of Cloud Storage, routed to a log bucket of their own."""
        gcp.projects.IAMAuditConfig(
            "storage-data-access", project=scope.project, service="storage.googleapis.com",
            audit_log_configs=[gcp.projects.IAMAuditConfigAuditLogConfigArgs(log_type=t)
                               for t in AUDITED],
            opts=scope.child(self))
        bucket = gcp.logging.ProjectBucketConfig(
            "access-logs", project=scope.project, location=scope.region,
            bucket_id=physical_name(names.LOG_BUCKET, "tricloud", scope.ctx.stack, "storage"),
            retention_days=retention_days,
            description="Data Access audit logs of the tricloud buckets", opts=scope.child(self))
        gcp.logging.ProjectSink(
            "access-logs", project=scope.project, unique_writer_identity=True,
            destination=bucket.name.apply(lambda b: f"logging.googleapis.com/{b}"),
            filter=pulumi.Output.all(*[b.name for b in self.buckets.values()]).apply(
                access_filter),
            opts=scope.child(self))
