"""Scanner rules the kit deliberately does not follow, each with the reason: kept as data.

Platform teams run checkov, tfsec/Trivy, Azure Policy or Security Command Center over what they
deploy. The guardrails (``rules/``) enforce what the kit promises; this list is the other half
of that answer: a finding a scanner will raise on a synthesised stack, and why it stays. A
reviewer reads it with ``tricloud check --explain``; a test keeps every entry well formed and
every cloud it names real.

Rule ids are the scanners' own where one exists; ``title`` says what the rule asks in words, so
an entry stays readable when a scanner renumbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Waiver:
    """One scanner finding the kit accepts on purpose."""

    cloud: str  # aws, gcp, azure
    scanner_ids: tuple[str, ...]  # e.g. checkov CKV2_AWS_62, tfsec aws-s3-..., empty if none
    title: str  # what the scanner asks
    applies_to: str  # which resources of a stack it flags
    reason: str  # why the kit does not do it, and what the user can do instead

    def __post_init__(self) -> None:
        if not (self.title and self.applies_to and self.reason):
            raise ValueError(f"{self.scanner_ids}: a deliberate exception needs a title, the "
                             "resources it applies to and a reason")


WAIVERS: tuple[Waiver, ...] = (
    Waiver(
        "aws", ("CKV2_AWS_62",), "S3 buckets have event notifications",
        "raw, processed and access-log buckets",
        "The pipeline runs on a schedule and reads whole batches; nothing consumes per-object "
        "events, and a notification with no consumer is an unwatched queue to secure."),
    Waiver(
        "aws", ("CKV2_AWS_57",), "Secrets Manager secrets rotate automatically",
        "the source database URL secret",
        "The user supplies the URL of a database the kit does not own, so there is no rotation "
        "function that could change its password. The warehouse password is RDS-managed and "
        "rotated by RDS."),
    Waiver(
        "aws", ("CKV_AWS_145", "CKV_AWS_158", "CKV_AWS_26", "CKV_AWS_136", "CKV_AWS_149"),
        "buckets, log groups, topics, registries and secrets use a customer-managed KMS key",
        "dev and staging stacks",
        "Only prod gets the stack's key (and the guardrail telemetry-without-cmk enforces it "
        "there); dev and staging use AWS-owned encryption, so they cost no key and tear down "
        "without a 30-day key deletion window."),
    Waiver(
        "aws", ("CKV_AWS_145",), "S3 buckets are encrypted with KMS",
        "the access-log bucket",
        "S3 server access logging cannot deliver to a bucket encrypted with SSE-KMS; the log "
        "bucket uses SSE-S3, the only encryption the logging service supports."),
    Waiver(
        "aws", ("CKV_AWS_18",), "S3 buckets have access logging",
        "the access-log bucket, and the processed-replica bucket when replication is on",
        "Logging the log bucket into itself would log its own log writes forever; reads of it "
        "show in CloudTrail data events where the account records them. The replica is "
        "written only by replication, and logging it would need a second log bucket in its "
        "region."),
    Waiver(
        "aws", ("CKV_AWS_144",), "S3 buckets replicate to another region",
        "raw and access-log buckets; the processed bucket unless storage.replica_region is set",
        "Replication doubles storage and adds transfer per GB. The processed bucket holds what "
        "the warehouse is loaded from, so prod can replicate it (storage.replica_region); raw "
        "and log buckets stay in one region, versioned."),
    Waiver(
        "aws", ("CKV_AWS_338",), "CloudWatch log groups keep logs for at least a year",
        "every log group",
        "Retention is monitoring.log_retention_days, with a per-environment minimum enforced by "
        "the guardrail short-log-retention; a stack under a one-year rule sets 365."),
    Waiver(
        "aws", ("CKV2_AWS_30",), "PostgreSQL logs every statement (log_statement = all)",
        "the warehouse parameter group",
        "Every statement would log the loader's bulk statements and the values in them; "
        "statements slower than one second are logged (log_min_duration_statement)."),
    Waiver(
        "aws", ("aws-ec2-no-public-egress-sgr",), "security groups allow no egress to 0.0.0.0/0",
        "the pipeline task's security group (HTTPS and PostgreSQL ports only)",
        "The job reads a source database the user names, wherever it is, and calls AWS APIs; "
        "egress is limited to those ports, and nat: none removes internet egress entirely."),
    Waiver(
        "aws", ("aws-sqs-queue-encryption-use-cmk",), "SQS queues use a customer-managed key",
        "the schedule's dead-letter queue",
        "It holds only failed invocation metadata (no pipeline data) and is encrypted with "
        "SQS-managed keys; a KMS key would have to be opened to EventBridge Scheduler."),
    Waiver(
        "gcp", ("CKV_GCP_6",), "Cloud SQL requires client certificates",
        "the warehouse instance",
        "ssl_mode ENCRYPTED_ONLY enforces TLS; client certificates would have to be issued, "
        "stored and rotated for every job run, while the job already authenticates with "
        "a password from Secret Manager over a private IP."),
)
