"""The one typed config of a tricloud stack (the ``tricloud:platform`` key).

Every field is typed, described and validated here; the descriptions feed the config reference
in docs/config.md. Values an environment decides (sizes, protection, retention) have no defaults
in the models: ``config.loader`` fills them from ``config.defaults`` first, so each has one source.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from config.cron import cron_problem
from config.enums import Cloud, Environment, NatMode, Size
from config.regions import region_problem
from config.sizes import JOB_CPU_STEPS

_PRIVATE_RANGES = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$")
_TAG_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_TAG_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
_GCP_PROJECT = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
# Written on every resource by components/tags.py, required there by the missing-tags guardrail.
STANDARD_TAG_KEYS = ("project", "environment", "stack", "managed-by")
RESERVED_TAG_KEYS = frozenset(STANDARD_TAG_KEYS)


class _Strict(BaseModel):
    """Unknown keys are errors: a typo must not silently fall back to a default."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class NetworkConfig(_Strict):
    cidr: ipaddress.IPv4Network = Field(
        description="The stack's private address range (RFC 1918), /16 to /22. Must not overlap "
        "any other stack's range.")
    zones: int = Field(ge=2, le=3, description="Availability zones for private subnets (2-3).")
    nat: NatMode = Field(description="Egress for private workloads: none, single or per_zone.")

    @field_validator("cidr", mode="before")
    @classmethod
    def _strict_cidr(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                ipaddress.IPv4Network(value, strict=True)
            except ValueError as exc:
                raise ValueError(f"not an IPv4 network with its host bits clear ({exc})") from None
        return value

    @field_validator("cidr")
    @classmethod
    def _private_and_sized(cls, value: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
        if not any(value.subnet_of(r) for r in _PRIVATE_RANGES):
            raise ValueError("must be inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16")
        if not 16 <= value.prefixlen <= 22:
            raise ValueError("prefix must be between /16 and /22 to fit the platform's subnets")
        return value


class DatabaseConfig(_Strict):
    size: Size = Field(description="Neutral machine size: small, medium or large.")
    storage_gb: int = Field(ge=20, le=16384, description="Allocated storage in GiB (20-16384).")
    high_availability: bool = Field(description="A standby in a second zone.")
    backup_retention_days: int = Field(ge=1, le=35, description="Automated backups kept (1-35).")
    deletion_protection: bool = Field(
        description="Refuse deletion at the API and in Pulumi (protect/retain).")


class PipelineConfig(_Strict):
    schedule: str = Field(description="Five-field cron (UTC) on which the pipeline job runs.")
    cpu: float = Field(description="vCPUs of the job: one of "
                       f"{', '.join(map(str, JOB_CPU_STEPS))}.")
    memory_gb: float = Field(gt=0, le=32, description="Memory of the job in GiB; each cloud "
                             "allows a range per vCPU.")
    timeout_minutes: int = Field(ge=5, le=1440, description="A run is stopped after this.")
    retries: int = Field(ge=0, le=5, description="Retries of a failed run before it alerts.")

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        problem = cron_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("cpu")
    @classmethod
    def _cpu_step(cls, value: float) -> float:
        if value not in JOB_CPU_STEPS:
            raise ValueError(f"allowed: {', '.join(map(str, JOB_CPU_STEPS))}")
        return value


class AlertsConfig(_Strict):
    emails: list[str] = Field(default_factory=list, max_length=20,
                              description="Who gets failure alerts by e-mail.")

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        bad = [e for e in value if not _EMAIL.match(e)]
        if bad:
            raise ValueError(f"not e-mail addresses: {', '.join(bad)}")
        return value


class MonitoringConfig(_Strict):
    log_retention_days: int = Field(ge=1, le=3653, description="Days job logs are kept.")


class UsageConfig(_Strict):
    """What the cost estimate assumes about use: nothing here changes a resource."""

    run_minutes: float = Field(gt=0, le=1440, description="Expected length of one pipeline "
                               "run, for the job's compute cost (`tricloud cost`).")
    stored_gb: float = Field(ge=0, description="Data expected in the raw and processed storage "
                             "together, in GB, for the storage cost.")
    log_gb_per_month: float = Field(ge=0, description="Log volume ingested per month in GB, "
                                    "for the log ingestion cost.")


class StorageConfig(_Strict):
    noncurrent_version_days: int = Field(
        ge=1, le=3650, description="Days an overwritten or deleted object's old version is kept "
        "in the data zones before it expires (every cloud).")
    incomplete_upload_days: int = Field(
        ge=1, le=365, description="Days before an unfinished multipart upload is removed (AWS "
        "and GCP; Azure always discards uncommitted blocks after 7 days).")
    replica_region: str | None = Field(
        default=None, description="AWS prod only, off by default: an AWS region (not the "
        "stack's) to replicate the processed bucket to, with its own KMS key there. Costs a "
        "second copy of the processed data (S3 Standard, about $0.023/GB-month), inter-region "
        "transfer for every write (about $0.02/GB) and $1/month for the replica key.")


class ImagesConfig(_Strict):
    keep: int = Field(ge=1, le=1000, description="Pipeline images kept in the stack's registry, "
                      "newest first; older ones are deleted (every cloud).")


class GcpConfig(_Strict):
    project: str = Field(description="GCP project id the stack deploys into (GCP only).")

    @field_validator("project")
    @classmethod
    def _project(cls, value: str) -> str:
        if not _GCP_PROJECT.match(value):
            raise ValueError("6-30 lowercase letters, digits or hyphens, starting with a letter")
        return value


class PlatformConfig(_Strict):
    """The whole platform of one stack."""

    cloud: Cloud = Field(description="Which cloud: aws, gcp or azure.")
    region: str = Field(description="A region of the chosen cloud (see config/regions.py).")
    environment: Environment = Field(description="dev, staging or prod: drives the defaults.")
    network: NetworkConfig
    database: DatabaseConfig
    pipeline: PipelineConfig
    monitoring: MonitoringConfig
    usage: UsageConfig
    storage: StorageConfig
    images: ImagesConfig
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    gcp: GcpConfig | None = Field(default=None, description="GCP-only settings.")
    tags: Annotated[dict[str, str], Field(max_length=20)] = Field(
        default_factory=dict,
        description="Extra tags/labels on every resource (lowercase keys and values, as GCP "
        "labels require).")

    @field_validator("region")
    @classmethod
    def _region_of_cloud(cls, value: str, info: ValidationInfo) -> str:
        cloud = info.data.get("cloud")
        problem = region_problem(cloud, value) if cloud is not None else None
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        problems = [k for k in value if k in RESERVED_TAG_KEYS]
        problems += [k for k in value if not _TAG_KEY.match(k)]
        problems += [f"{k}={v}" for k, v in value.items() if not _TAG_VALUE.match(v)]
        if problems:
            raise ValueError(
                f"bad tags {', '.join(problems)}: keys lowercase [a-z0-9_-] starting with a "
                f"letter, values lowercase, at most 63 characters; reserved keys: "
                f"{', '.join(sorted(RESERVED_TAG_KEYS))}")
        return value
