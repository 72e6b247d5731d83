"""What in a plan bills, and how much of it a month: the one rule, translated per cloud.

Each billable resource type maps to usage lines (kind, machine class, quantity, unit and the
assumption behind the quantity). Hourly things run ``HOURS_PER_MONTH``; the job's compute comes
from the schedule and ``usage.run_minutes`` (in hours or seconds, as the cloud bills it);
storage and logs from ``usage.stored_gb`` and ``usage.log_gb_per_month``, shared evenly by the
resources that hold them. A quantity nothing states (traffic, stored images, operations) is
``None`` with the reason, never a guess. A high-availability GCP or Azure database is its own
key (``<class> HA``) because those clouds list HA rates apart, so no multiple is assumed. Prices
are not looked up here (``estimate`` does that), so an unpriced kind still shows what it would
bill.
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


Rule = Callable[[PlannedResource, _Context], list[Usage]]


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


def _unstated(kind: str, unit: str, what: str) -> list[Usage]:
    return [Usage(kind, "", None, unit, f"{what}, and no usage setting states it")]


def _shared(kind: str, unit: str, setting: str, group: str, ctx: _Context) -> list[Usage]:
    """A stack-wide usage amount from the config, split evenly over the resources holding it."""
    total, count = ctx.usage.get(setting), ctx.counts.get(group, 1)
    if total is None:
        return [Usage(kind, "", None, unit, f"no usage.{setting} in the plan file")]
    return [Usage(kind, "", _d(total) / count, unit,
                  f"usage.{setting}={total:g} shared by {count}")]


def _job(kinds: tuple[str, str], key: str, cpu: Decimal, memory_gb: Decimal, per: str,
         ctx: _Context) -> list[Usage]:
    """A scheduled job's vCPU and memory over a month, per hour (Fargate) or second (serverless)."""
    schedule, minutes = ctx.usage.get("schedule"), ctx.usage.get("run_minutes")
    cpu_unit, memory_unit = f"vCPU-{per}", f"GB-{per}" if per == "hour" else f"GiB-{per}"
    if schedule is None or minutes is None:
        return [Usage(kinds[0], key, None, cpu_unit,
                      "no schedule or usage.run_minutes in the plan file")]
    runs = runs_per_month(schedule)
    time = runs * _d(minutes) * 60 if per == "second" else runs * _d(minutes) / 60
    said = f"{runs} runs/month from pipeline.schedule '{schedule}' x usage.run_minutes={minutes:g}"
    return [Usage(kinds[0], key, time * cpu, cpu_unit, f"{said} x {cpu:g} vCPU"),
            Usage(kinds[1], key, time * memory_gb, memory_unit,
                  f"{said} x {memory_gb:g} {memory_unit.split('-')[0]}")]


def _gib(quantity: Any) -> Decimal:
    """A Kubernetes-style memory quantity ('2Gi', '2048Mi', '2G', or bytes) in GiB."""
    text = str(quantity)
    for suffix, size in (("Gi", 1024**3), ("Mi", 1024**2), ("G", 10**9), ("M", 10**6)):
        if text.endswith(suffix):
            return _d(text[: -len(suffix)]) * size / 1024**3
    return _d(text) / 1024**3


def _nat(r: PlannedResource, ctx: _Context) -> list[Usage]:
    return [*_hourly("nat-gateway"), *_unstated("nat-gateway-data", "GB",
                                                "data processed per GB depends on traffic")]


def _nat_gateway_azure(r: PlannedResource, ctx: _Context) -> list[Usage]:
    return [*_hourly("azure-nat-gateway"), *_unstated(
        "azure-nat-gateway-data", "GB", "data processed per GB depends on traffic")]


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
    return _job(("fargate-vcpu", "fargate-memory"), arch, _d(r.inputs.get("cpu") or 0) / 1024,
                _d(r.inputs.get("memory") or 0) / 1024, "hour", ctx)


def _endpoint(r: PlannedResource, ctx: _Context) -> list[Usage]:
    if r.inputs.get("vpcEndpointType") == "Gateway":
        return _monthly("vpc-endpoint-gateway")
    return _hourly("vpc-endpoint-interface", count=len(r.inputs.get("subnetIds") or [1]))


def _cloud_nat(r: PlannedResource, ctx: _Context) -> list[Usage]:
    manual = r.inputs.get("natIpAllocateOption") == "MANUAL_ONLY"
    ips = len(r.inputs.get("natIps") or []) if manual else 1
    said = ("MANUAL_ONLY: the listed addresses" if manual else
            "AUTO_ONLY: one address assumed; more are allocated as port demand grows")
    return [Usage("cloud-nat-gateway", "", None, "VM-hour", "billed per VM instance using the "
                  "gateway; the stack runs no VMs, and the pricing page does not say how "
                  "serverless job instances count"),
            Usage("cloud-nat-ip", "", HOURS_PER_MONTH * ips, "hour", f"730 hours a month, {said}"),
            *_unstated("cloud-nat-data", "GiB", "data processed per GiB depends on traffic")]


def _cloud_sql(r: PlannedResource, ctx: _Context) -> list[Usage]:
    # The pricing page lists HA (REGIONAL) rates apart from zonal ones, so HA is its own key.
    settings = r.inputs.get("settings") or {}
    ha = " HA" if settings.get("availabilityType") == "REGIONAL" else ""
    said = "regional (HA)" if ha else "zonal"
    disk = str(settings.get("diskType") or "PD_SSD")
    return [Usage("cloud-sql-postgres", f"{settings.get('tier')}{ha}", HOURS_PER_MONTH, "hour",
                  f"730 hours a month, {said}"),
            Usage("cloud-sql-storage", f"{disk}{ha}", _d(settings.get("diskSize") or 0),
                  "GB-month", f"provisioned disk, {said}; backups not counted")]


def _serverless(kinds: tuple[str, str], containers: list[Mapping[str, Any]], copies: int,
                ctx: _Context) -> list[Usage]:
    """A serverless job billed per second for the vCPU and memory its containers ask for."""
    cpu = sum((_d(c.get("cpu") or 0) for c in containers), Decimal(0)) * copies
    memory = sum((_gib(c.get("memory") or 0) for c in containers), Decimal(0)) * copies
    return _job(kinds, "", cpu, memory, "second", ctx)


def _cloud_run(r: PlannedResource, ctx: _Context) -> list[Usage]:
    template = r.inputs.get("template") or {}
    limits = [(c.get("resources") or {}).get("limits") or {}
              for c in (template.get("template") or {}).get("containers") or []]
    return _serverless(("cloud-run-vcpu", "cloud-run-memory"), limits,
                       int(template.get("taskCount") or 1), ctx)


def _container_apps(r: PlannedResource, ctx: _Context) -> list[Usage]:
    containers = (r.inputs.get("template") or {}).get("containers") or []
    return _serverless(("container-apps-vcpu", "container-apps-memory"),
                       [c.get("resources") or {} for c in containers], 1, ctx)


def _flexible_server(r: PlannedResource, ctx: _Context) -> list[Usage]:
    # Zone-redundant HA runs a standby; priced as its own key rather than by an assumed multiple.
    mode = (r.inputs.get("highAvailability") or {}).get("mode", "Disabled")
    ha = "" if mode in ("Disabled", None) else " HA"
    said = f"high availability {mode}"
    return [Usage("postgres-flexible-server", f"{(r.inputs.get('sku') or {}).get('name')}{ha}",
                  HOURS_PER_MONTH, "hour", f"730 hours a month, {said}"),
            Usage("postgres-flexible-storage", ha.strip(),
                  _d((r.inputs.get("storage") or {}).get("storageSizeGB") or 0), "GB-month",
                  f"provisioned storage, {said}; backups not counted")]


def _secret_versions(r: PlannedResource, ctx: _Context) -> list[Usage]:
    replicas = ((r.inputs.get("replication") or {}).get("userManaged") or {}).get("replicas")
    locations = len(replicas) if replicas else 1
    return [Usage("secret-manager", "", Decimal(locations), "version-month",
                  f"one active version x {locations} location(s)")]


def _kms_key_version(r: PlannedResource, ctx: _Context) -> list[Usage]:
    level = (r.inputs.get("versionTemplate") or {}).get("protectionLevel", "SOFTWARE")
    return [Usage("cloud-kms-key", level, Decimal(1), "version-month", "one active key version; "
                  "each rotation adds one until old versions are destroyed, not counted")]


def _per_sku(kind: str, unit_hours: int) -> Rule:
    """A resource billed per SKU for every hour (or day) it exists."""
    def rule(r: PlannedResource, ctx: _Context) -> list[Usage]:
        unit = "hour" if unit_hours == 1 else "day"
        return [Usage(kind, str((r.inputs.get("sku") or {}).get("name")),
                      HOURS_PER_MONTH / unit_hours, unit,
                      f"always on, 730 hours a month{'' if unit_hours == 1 else ' / 24'}")]
    return rule


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
    "aws:ecr/repository:Repository": ("registry", lambda r, c: _unstated(
        "ecr-storage", "GB-month", "billed per GB of stored images")),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("endpoint", _endpoint),
    "gcp:compute/routerNat:RouterNat": ("nat", _cloud_nat),
    "gcp:sql/databaseInstance:DatabaseInstance": ("database", _cloud_sql),
    "gcp:storage/bucket:Bucket": ("storage", lambda r, c: _shared(
        "gcs-standard-storage", "GB-month", "stored_gb", "storage", c)),
    "gcp:kms/cryptoKey:CryptoKey": ("key", _kms_key_version),
    "gcp:secretmanager/secret:Secret": ("secret", _secret_versions),
    "gcp:artifactregistry/repository:Repository": ("registry", lambda r, c: _unstated(
        "artifact-registry-storage", "GB-month", "billed per GB of stored images")),
    "gcp:cloudrunv2/job:Job": ("job", _cloud_run),
    "gcp:cloudscheduler/job:Job": ("schedule", lambda r, c: _monthly("cloud-scheduler-job")),
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": ("logs", lambda r, c: _shared(
        "cloud-logging-ingestion", "GiB", "log_gb_per_month", "logs", c)),
    "azure-native:dbforpostgresql:Server": ("database", _flexible_server),
    "azure-native:network:NatGateway": ("nat", _nat_gateway_azure),
    "azure-native:network:PublicIPAddress": ("ip", _per_sku("azure-public-ip", 1)),
    "azure-native:storage:StorageAccount": ("storage", lambda r, c: _shared(
        "blob-storage", "GB-month", "stored_gb", "storage", c)),
    "azure-native:keyvault:Vault": ("vault", lambda r, c: _unstated(
        "key-vault-operations", "10k operations", "billed per operation")),
    "azure-native:containerregistry:Registry": ("registry", _per_sku("acr", 24)),
    "azure-native:app:Job": ("job", _container_apps),
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
