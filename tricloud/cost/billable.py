"""What in a plan bills, and how much of it a month: the one rule, translated per cloud.

Each billable resource type maps to usage lines (kind, machine class, quantity, unit and the
assumption behind the quantity). Hourly things run ``HOURS_PER_MONTH``; the job's compute comes
from the schedule and ``usage.run_minutes``; storage and logs from ``usage.stored_gb`` and
``usage.log_gb_per_month``, shared evenly by the resources that hold them. Prices are not
looked up here (``estimate`` does that), so an unpriced kind still shows what it would bill.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tricloud.cost.prices import HOURS_PER_MONTH
from tricloud.plan import PlannedResource, StackPlan


@dataclass(frozen=True)
class Usage:
    """A quantity of one billable kind that one resource uses in a month."""

    kind: str
    key: str
    quantity: Decimal | None  # None: the plan file lacks the assumption it needs
    unit: str
    assumption: str


@dataclass(frozen=True)
class _Context:
    """What a usage rule may read besides the resource: the stack's assumptions and counts."""

    usage: Mapping[str, Any]
    counts: Mapping[str, int]  # resources per billable kind group in the stack (to share usage)


def runs_per_month(schedule: str) -> int:
    """Runs of a five-field cron in a 730-hour month (from a fixed start, so always the same)."""
    from croniter import croniter

    start = datetime(2026, 1, 1, tzinfo=UTC)
    end = start + timedelta(hours=int(HOURS_PER_MONTH))
    runs, it = 0, croniter(schedule, start - timedelta(seconds=1))
    while it.get_next(datetime) < end:
        runs += 1
    return runs


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _hourly(kind: str, key: str = "", count: int = 1) -> list[Usage]:
    return [Usage(kind, key, HOURS_PER_MONTH * count, "hour", "always on, 730 hours a month")]


def _monthly(kind: str) -> list[Usage]:
    return [Usage(kind, "", Decimal(1), "month", "one a month")]


def _shared(kind: str, unit: str, setting: str, group: str, ctx: _Context) -> list[Usage]:
    """A stack-wide usage amount from the config, split evenly over the resources holding it."""
    total, count = ctx.usage.get(setting), ctx.counts.get(group, 1)
    if total is None:
        return [Usage(kind, "", None, unit, f"no usage.{setting} in the plan file")]
    return [Usage(kind, "", _d(total) / count, unit,
                  f"usage.{setting}={total:g} shared by {count}")]


def _job(schedule_key: str, cpu: Decimal, memory_gb: Decimal, arch: str,
         ctx: _Context) -> list[Usage]:
    schedule, minutes = ctx.usage.get(schedule_key), ctx.usage.get("run_minutes")
    if schedule is None or minutes is None:
        return [Usage("fargate-vcpu", arch, None, "vCPU-hour",
                      "no schedule or usage.run_minutes in the plan file")]
    runs = runs_per_month(schedule)
    hours = runs * _d(minutes) / 60
    said = f"{runs} runs/month from pipeline.schedule '{schedule}' x usage.run_minutes={minutes:g}"
    return [Usage("fargate-vcpu", arch, hours * cpu, "vCPU-hour", f"{said} x {cpu:g} vCPU"),
            Usage("fargate-memory", arch, hours * memory_gb, "GB-hour",
                  f"{said} x {memory_gb:g} GB")]


def _nat(r: PlannedResource, ctx: _Context) -> list[Usage]:
    return [*_hourly("nat-gateway"),
            Usage("nat-gateway-data", "", None, "GB", "data processed per GB depends on "
                  "traffic, and no usage setting states it")]


def _rds(r: PlannedResource, ctx: _Context) -> list[Usage]:
    # Multi-AZ bills the standby's instance hours and its storage too (RDS user guide,
    # "On-Demand DB instances"); the price rows are Single-AZ rates.
    standby = 2 if r.inputs.get("multiAz") else 1
    said = "Multi-AZ: primary and standby" if standby == 2 else "Single-AZ"
    storage = _d(r.inputs.get("allocatedStorage") or 0) * standby
    kind = "rds-gp3-storage" if r.inputs.get("storageType") == "gp3" else "rds-storage"
    return [Usage("rds-postgres-instance", str(r.inputs.get("instanceClass")),
                  HOURS_PER_MONTH * standby, "hour", f"730 hours a month, {said}"),
            Usage(kind, "", storage, "GB-month", f"allocated storage, {said}; backups within "
                  "the free allowance (up to the allocated size) assumed")]


def _fargate(r: PlannedResource, ctx: _Context) -> list[Usage]:
    arch = (r.inputs.get("runtimePlatform") or {}).get("cpuArchitecture", "X86_64")
    return _job("schedule", _d(r.inputs.get("cpu") or 0) / 1024,
                _d(r.inputs.get("memory") or 0) / 1024, arch, ctx)


def _endpoint(r: PlannedResource, ctx: _Context) -> list[Usage]:
    if r.inputs.get("vpcEndpointType") == "Gateway":
        return _monthly("vpc-endpoint-gateway")
    return _hourly("vpc-endpoint-interface", count=len(r.inputs.get("subnetIds") or [1]))


Rule = Callable[[PlannedResource, _Context], list[Usage]]

# Resource type -> (group for sharing stack-wide usage, rule). Per cloud, one rule per concern.
BILLABLE: dict[str, tuple[str, Rule]] = {
    "aws:ec2/natGateway:NatGateway": ("nat", _nat),
    "aws:ec2/eip:Eip": ("ip", lambda r, c: _hourly("public-ipv4")),
    "aws:rds/instance:Instance": ("database", _rds),
    "aws:ecs/taskDefinition:TaskDefinition": ("job", _fargate),
    "aws:s3/bucket:Bucket": ("storage", lambda r, c: _shared(
        "s3-standard-storage", "GB-month", "stored_gb", "storage", c)),
    "aws:cloudwatch/logGroup:LogGroup": ("logs", lambda r, c: _shared(
        "log-ingestion", "GB", "log_gb_per_month", "logs", c)),
    "aws:kms/key:Key": ("key", lambda r, c: _monthly("kms-key")),
    "aws:secretsmanager/secret:Secret": ("secret", lambda r, c: _monthly("secret")),
    "aws:ecr/repository:Repository": ("registry", lambda r, c: _monthly("ecr-repository")),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("endpoint", _endpoint),
    "gcp:compute/routerNat:RouterNat": ("nat", lambda r, c: _hourly("cloud-nat")),
    "gcp:sql/databaseInstance:DatabaseInstance": ("database", lambda r, c: _hourly(
        "cloud-sql-postgres", str((r.inputs.get("settings") or {}).get("tier")))),
    "gcp:storage/bucket:Bucket": ("storage", lambda r, c: _shared(
        "gcs-standard-storage", "GB-month", "stored_gb", "storage", c)),
    "gcp:kms/cryptoKey:CryptoKey": ("key", lambda r, c: _monthly("cloud-kms-key")),
    "gcp:secretmanager/secret:Secret": ("secret", lambda r, c: _monthly("secret-manager")),
    "gcp:artifactregistry/repository:Repository": ("registry", lambda r, c: _monthly(
        "artifact-registry")),
    "gcp:cloudrunv2/job:Job": ("job", lambda r, c: _monthly("cloud-run-job")),
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": ("logs", lambda r, c: _shared(
        "cloud-logging-ingestion", "GB", "log_gb_per_month", "logs", c)),
    "azure-native:dbforpostgresql:Server": ("database", lambda r, c: _hourly(
        "postgres-flexible-server", str((r.inputs.get("sku") or {}).get("name")))),
    "azure-native:network:NatGateway": ("nat", lambda r, c: _hourly("azure-nat-gateway")),
    "azure-native:network:PublicIPAddress": ("ip", lambda r, c: _hourly("azure-public-ip")),
    "azure-native:storage:StorageAccount": ("storage", lambda r, c: _shared(
        "blob-storage", "GB-month", "stored_gb", "storage", c)),
    "azure-native:keyvault:Vault": ("vault", lambda r, c: _monthly("key-vault")),
    "azure-native:containerregistry:Registry": ("registry", lambda r, c: _monthly("acr")),
    "azure-native:app:Job": ("job", lambda r, c: _monthly("container-apps-job")),
    "azure-native:operationalinsights:Workspace": ("logs", lambda r, c: _shared(
        "log-analytics-ingestion", "GB", "log_gb_per_month", "logs", c)),
}


def usage_of(plan: StackPlan) -> dict[str, list[Usage]]:
    """Usage lines per billable resource URN of one stack."""
    counts: dict[str, int] = {}
    for r in plan.resources:
        if r.type in BILLABLE:
            group = BILLABLE[r.type][0]
            counts[group] = counts.get(group, 0) + 1
    ctx = _Context(plan.usage, counts)
    return {r.urn: BILLABLE[r.type][1](r, ctx) for r in plan.resources if r.type in BILLABLE}
