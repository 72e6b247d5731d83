"""The raw and processed buckets, and the bucket their access logs go to.

Every bucket is private, owner-enforced, encrypted, versioned and TLS-only. Each setting is a
separate resource (the provider's current model), so each secure default is visible, testable
and changeable on its own.

S3 server access logs of both data buckets go to one log bucket per stack. It is hardened like
the data buckets with two differences S3 imposes or makes pointless: it is encrypted with
SSE-S3 (the logging service cannot write to an SSE-KMS target), and it does not log itself.

With ``storage.replica_region`` (AWS prod only) the processed bucket replicates, deletes
included, to a bucket of the same hardening in that region, encrypted with a key of its own
there: a region-wide outage cannot take the loaded data with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.keys import DataKey, DataKeyArgs
from components.aws.policies import Statement, assume_role, document, objects_of
from components.aws.scope import Scope
from config.schema import StorageConfig

ZONES = ("raw", "processed")
RAW_INFREQUENT_ACCESS_DAYS = 30
RAW_GLACIER_IR_DAYS = 180
ACCESS_LOGS = "access-logs"
REPLICATED_ZONE = "processed"
REPLICA = f"{REPLICATED_ZONE}-replica"
LOGGING_SERVICE = "logging.s3.amazonaws.com"

# Extra bucket-policy statements, given the bucket's ARN.
PolicyStatements = Callable[[pulumi.Output[str]], Sequence[Statement]]


@dataclass(frozen=True)
class StorageArgs:
    retention: StorageConfig  # how long old versions and unfinished uploads are kept
    access_log_days: int  # how long S3 access logs are kept (the stack's log retention)
    zones: tuple[str, ...] = ZONES

    @property
    def replica_region(self) -> str | None:
        return self.retention.replica_region


@dataclass(frozen=True)
class BucketArgs:
    """One bucket: its lifecycle, its encryption key and who else may write to it."""

    purpose: str
    lifecycle: list[dict[str, object]]
    kms_key_arn: pulumi.Input[str] | None
    access_log_bucket: pulumi.Input[str] | None = None
    extra_statements: PolicyStatements = field(default=lambda arn: ())


class Bucket(pulumi.ComponentResource):
    """One bucket with every secure default the platform promises."""

    def __init__(self, name: str, args: BucketArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Bucket", name, None, opts)
        child = scope.child(self)
        self.bucket = aws.s3.Bucket(
            name, bucket=scope.account_id.apply(
                lambda a: names.bucket_name(scope.stack, args.purpose, a)),
            force_destroy=not scope.ctx.protect_data,
            opts=scope.data(self))
        block = aws.s3.BucketPublicAccessBlock(
            name, bucket=self.bucket.id, block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True, opts=child)
        aws.s3.BucketOwnershipControls(name, bucket=self.bucket.id, rule={
            "object_ownership": "BucketOwnerEnforced"}, opts=child)
        by_default = ({"sse_algorithm": "aws:kms", "kms_master_key_id": args.kms_key_arn}
                      if args.kms_key_arn is not None else {"sse_algorithm": "AES256"})
        aws.s3.BucketServerSideEncryptionConfiguration(name, bucket=self.bucket.id, rules=[{
            "apply_server_side_encryption_by_default": by_default,
            "bucket_key_enabled": args.kms_key_arn is not None}], opts=child)
        self.versioning = aws.s3.BucketVersioning(
            name, bucket=self.bucket.id, versioning_configuration={"status": "Enabled"},
            opts=child)
        aws.s3.BucketLifecycleConfiguration(
            name, bucket=self.bucket.id, rules=args.lifecycle,
            opts=scope.child(self, depends_on=[self.versioning]))
        aws.s3.BucketPolicy(name, bucket=self.bucket.id, policy=document(
            Statement(sid="DenyInsecureTransport", effect="Deny", actions=["s3:*"],
                      principals={"AWS": "*"},
                      resources=[self.bucket.arn, objects_of(self.bucket.arn)],
                      conditions={"Bool": {"aws:SecureTransport": "false"}}),
            *args.extra_statements(self.bucket.arn),
        ), opts=scope.child(self, depends_on=[block]))
        if args.access_log_bucket is not None:
            aws.s3.BucketLogging(name, bucket=self.bucket.id,
                                 target_bucket=args.access_log_bucket,
                                 target_prefix=f"{args.purpose}/", opts=child)
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


def access_log_lifecycle(days: int, retention: StorageConfig) -> list[dict[str, object]]:
    """Access logs are kept as long as the stack's other logs, then expire with their versions."""
    return [{
        "id": "expire-access-logs", "status": "Enabled", "filter": {},
        "expiration": {"days": days},
        "noncurrent_version_expiration": {
            "noncurrent_days": retention.noncurrent_version_days},
        "abort_incomplete_multipart_upload": {
            "days_after_initiation": retention.incomplete_upload_days},
    }]


def logging_service_writes(account_id: pulumi.Input[str],
                           source_bucket_names: Sequence[pulumi.Input[str]]) -> PolicyStatements:
    """The S3 logging service may put objects, on behalf of this stack's buckets only."""
    sources = [pulumi.Output.concat("arn:aws:s3:::", b) for b in source_bucket_names]
    return lambda arn: [Statement(
        sid="S3ServerAccessLogs", actions=["s3:PutObject"],
        principals={"Service": LOGGING_SERVICE}, resources=[objects_of(arn)],
        conditions={"ArnLike": {"aws:SourceArn": sources},
                    "StringEquals": {"aws:SourceAccount": account_id}})]


class Storage(pulumi.ComponentResource):
    """The two data zones of the pipeline and their access-log bucket."""

    def __init__(self, name: str, args: StorageArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Storage", name, None, opts)
        mine = pulumi.ResourceOptions(parent=self)
        zone_names = [scope.account_id.apply(lambda a, z=z: names.bucket_name(scope.stack, z, a))
                      for z in args.zones]
        self.access_logs = Bucket(ACCESS_LOGS, BucketArgs(
            purpose=ACCESS_LOGS, kms_key_arn=None,
            lifecycle=access_log_lifecycle(args.access_log_days, args.retention),
            extra_statements=logging_service_writes(scope.account_id, zone_names)),
            scope, mine)
        self.buckets = {zone: Bucket(zone, BucketArgs(
            purpose=zone, lifecycle=lifecycle_rules(zone, args.retention),
            kms_key_arn=scope.kms_key_arn, access_log_bucket=self.access_logs.bucket.id),
            scope, mine) for zone in args.zones}
        if args.replica_region is not None:
            self.replica: Replica | None = Replica(REPLICA, ReplicaArgs(
                region=args.replica_region, source=self.buckets[REPLICATED_ZONE],
                retention=args.retention), scope, mine)
        else:
            self.replica = None
        self.arns = [b.bucket.arn for b in self.buckets.values()]
        self.register_outputs({f"{zone}_uri": b.uri for zone, b in self.buckets.items()})


@dataclass(frozen=True)
class ReplicaArgs:
    region: str
    source: Bucket
    retention: StorageConfig


class Replica(pulumi.ComponentResource):
    """A copy of one bucket in another region: its provider, key, bucket, role and rule."""

    def __init__(self, name: str, args: ReplicaArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Replica", name, None, opts)
        provider = aws.Provider(
            f"aws-{args.region}", region=args.region,
            default_tags=aws.ProviderDefaultTagsArgs(tags=scope.tags),
            opts=pulumi.ResourceOptions(parent=self))
        there = dataclasses.replace(scope, provider=provider, region=args.region)
        mine = pulumi.ResourceOptions(parent=self)
        key_arn = None
        if scope.kms_key_arn is not None:
            key_arn = DataKey("replica-key", DataKeyArgs(purpose=name), there, mine).arn
        self.bucket = Bucket(name, BucketArgs(
            purpose=name, lifecycle=lifecycle_rules(REPLICATED_ZONE, args.retention),
            kms_key_arn=key_arn), dataclasses.replace(there, kms_key_arn=key_arn), mine)

        child = scope.child(self)
        source, replica = args.source.bucket.arn, self.bucket.bucket.arn
        role = aws.iam.Role(
            "replication", name=names.role_name(scope.stack, "replication"),
            assume_role_policy=assume_role("s3.amazonaws.com", scope.account_id), opts=child)
        keys = [] if key_arn is None or scope.kms_key_arn is None else [
            Statement(sid="DecryptSource", actions=["kms:Decrypt"],
                      resources=[scope.kms_key_arn]),
            Statement(sid="EncryptReplica", actions=["kms:Encrypt", "kms:GenerateDataKey"],
                      resources=[key_arn])]
        policy = aws.iam.RolePolicy("replication", role=role.id, policy=document(
            Statement(sid="ReadSourceConfiguration",
                      actions=["s3:GetReplicationConfiguration", "s3:ListBucket"],
                      resources=[source]),
            Statement(sid="ReadSourceVersions", actions=[
                "s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionTagging"], resources=[objects_of(source)]),
            Statement(sid="WriteReplica", actions=[
                "s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"],
                resources=[objects_of(replica)]),
            *keys), opts=child)
        destination: dict[str, object] = {"bucket": replica, "storage_class": "STANDARD"}
        if key_arn is not None:
            destination["encryption_configuration"] = {"replica_kms_key_id": key_arn}
        aws.s3.BucketReplicationConfig(
            name, bucket=args.source.bucket.id, role=role.arn, rules=[{
                "id": "replicate-everything", "status": "Enabled", "filter": {},
                "delete_marker_replication": {"status": "Enabled"},
                "source_selection_criteria": {"sse_kms_encrypted_objects": {
                    "status": "Enabled" if key_arn is not None else "Disabled"}},
                "destination": destination}],
            opts=scope.child(self, depends_on=[
                args.source.versioning, self.bucket.versioning, policy]))
        self.register_outputs({"bucket": self.bucket.bucket.bucket, "region": args.region})
