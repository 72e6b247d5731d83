"""The platform contract: what every cloud's platform exports, and what its job is given.

The job's environment is declared once, in ``pipeline.settings.ENV_VARS``: each variable names
the platform value that feeds it (a field of ``JobData``), whether it is secret and which clouds
set it. A platform builds its ``JobData`` once; ``job_environment`` turns it into the job's plain
and secret variables by that declaration, and ``PlatformOutputs`` exports the same values, so
the job and the stack outputs cannot disagree and no platform spells a variable name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TypeVar

import pulumi

from pipeline.settings import ENV_VARS, EnvVar, SourceKind

T = TypeVar("T")

WAREHOUSE_SSLMODE = "require"  # every cloud's warehouse refuses plain-text connections


@dataclass(frozen=True)
class JobData:
    """The values a platform hands its job; secrets as references the cloud resolves at start."""

    raw_storage_uri: pulumi.Input[str]
    processed_storage_uri: pulumi.Input[str]
    warehouse_host: pulumi.Input[str]
    warehouse_port: pulumi.Input[int]
    warehouse_database: pulumi.Input[str]
    warehouse_user: pulumi.Input[str]
    warehouse_secret_ref: pulumi.Input[str]
    source_secret_ref: pulumi.Input[str]
    environment: str
    # The job's memory in MiB (pipeline.memory_gb): the transform engine sizes its limit from it.
    memory_mb: int
    # Only where the job's SDK cannot find its own identity (Azure's user-assigned identity).
    identity_client_id: pulumi.Input[str] | None = None
    source_kind: str = SourceKind.POSTGRES.value
    warehouse_sslmode: str = WAREHOUSE_SSLMODE


# The job's data every stack also exports (the rest of JobData are constants and wiring).
EXPORTED_DATA: tuple[str, ...] = (
    "raw_storage_uri", "processed_storage_uri", "warehouse_host", "warehouse_port",
    "warehouse_database", "warehouse_user", "warehouse_secret_ref", "source_secret_ref")


@dataclass(frozen=True)
class PlatformOutputs:
    """The outputs of a platform: the job's data as given to the job, and what the job itself
    is; the same names are exported by every cloud's stack (``OUTPUT_NAMES``)."""

    data: JobData
    job_name: pulumi.Input[str]
    image_repository: pulumi.Input[str]
    schedule: pulumi.Input[str]

    def as_dict(self) -> dict[str, pulumi.Output[object]]:
        values = {**{name: getattr(self.data, name) for name in EXPORTED_DATA},
                  "job_name": self.job_name, "image_repository": self.image_repository,
                  "schedule": self.schedule}
        return {name: pulumi.Output.from_input(value) for name, value in values.items()}

    def export(self) -> None:
        for name, value in self.as_dict().items():
            pulumi.export(name, value)


OUTPUT_NAMES: tuple[str, ...] = (*EXPORTED_DATA, "job_name", "image_repository", "schedule")
JOB_DATA_NAMES: frozenset[str] = frozenset(f.name for f in fields(JobData))


def variables(cloud: str) -> tuple[EnvVar, ...]:
    """The variables ``cloud``'s job sets, as declared by the pipeline."""
    return tuple(v for v in ENV_VARS if v.set_by(cloud))


def secret_variables(cloud: str) -> tuple[EnvVar, ...]:
    return tuple(v for v in variables(cloud) if v.secret)


@dataclass(frozen=True)
class JobEnvironment:
    """The job's variables: plain values, and secrets as what the cloud injects them from."""

    plain: dict[str, pulumi.Input[str]]
    secrets: dict[str, pulumi.Input[str]]


def job_environment(cloud: str, data: JobData,
                    secret_refs: Mapping[str, pulumi.Input[str]] | None = None,
                    ) -> JobEnvironment:
    """Every variable ``cloud`` sets, fed from ``data`` by its declared output.

    ``secret_refs`` overrides how a secret output is referenced by the job where the cloud's
    injection differs from the exported reference (ECS names one JSON key of a secret). A
    declared variable without a value fails synthesis, so adding one to the contract fails every
    cloud until its platform supplies it.
    """
    plain: dict[str, pulumi.Input[str]] = {}
    secrets: dict[str, pulumi.Input[str]] = {}
    for var in variables(cloud):
        if var.output not in JOB_DATA_NAMES:
            raise ValueError(f"{var.name} is fed by {var.output!r}, which is not a JobData field")
        value = (secret_refs or {}).get(var.output, getattr(data, var.output))
        if value is None:
            raise ValueError(f"the {cloud} platform gives no {var.output} for {var.name}")
        if var.secret:
            secrets[var.name] = value
        else:
            plain[var.name] = (str(value) if isinstance(value, str | int)
                               else pulumi.Output.from_input(value).apply(str))
    return JobEnvironment(plain=plain, secrets=secrets)
