"""The platform contract: what every cloud's platform exports, and what the job is given.

The pipeline sees only environment variables built from these outputs, so a cloud is done when
it fills every field; ``job_environment`` turns the outputs into the variables of
``pipeline.settings.ENV_VARS`` (the secret ones each cloud injects through its secret store).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TypeVar

import pulumi

from pipeline.settings import ENV_VARS

T = TypeVar("T")

# Variables the job receives through the cloud's secret store rather than in plain text (secret
# variables no platform sets, such as an emulator's key, are not the platforms' concern).
SECRET_ENV_VARS: tuple[str, ...] = tuple(
    v.name for v in ENV_VARS if v.secret and v.required_in_cloud)


@dataclass(frozen=True)
class PlatformOutputs:
    """The outputs of a platform; the same names are exported by every cloud's stack."""

    raw_storage_uri: pulumi.Output[str]
    processed_storage_uri: pulumi.Output[str]
    warehouse_host: pulumi.Output[str]
    warehouse_port: pulumi.Output[int]
    warehouse_database: pulumi.Output[str]
    warehouse_user: pulumi.Output[str]
    warehouse_secret_ref: pulumi.Output[str]
    source_secret_ref: pulumi.Output[str]
    job_name: pulumi.Output[str]
    image_repository: pulumi.Output[str]
    schedule: pulumi.Output[str]

    def as_dict(self) -> dict[str, pulumi.Output[object]]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def export(self) -> None:
        for name, value in self.as_dict().items():
            pulumi.export(name, value)


OUTPUT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(PlatformOutputs))


def job_environment(
    *,
    raw_storage_uri: pulumi.Input[str],
    processed_storage_uri: pulumi.Input[str],
    warehouse_host: pulumi.Input[str],
    warehouse_port: pulumi.Input[int],
    warehouse_database: pulumi.Input[str],
    warehouse_user: pulumi.Input[str],
    environment: str,
) -> dict[str, pulumi.Input[str]]:
    """The plain (non-secret) variables of the job, keyed by the pipeline's own names."""
    return {
        "TRICLOUD_SOURCE": "postgres",
        "TRICLOUD_RAW_URI": raw_storage_uri,
        "TRICLOUD_PROCESSED_URI": processed_storage_uri,
        "TRICLOUD_WAREHOUSE_HOST": warehouse_host,
        "TRICLOUD_WAREHOUSE_PORT": pulumi.Output.from_input(warehouse_port).apply(str),
        "TRICLOUD_WAREHOUSE_DB": warehouse_database,
        "TRICLOUD_WAREHOUSE_USER": warehouse_user,
        "TRICLOUD_WAREHOUSE_SSLMODE": "require",
        "TRICLOUD_ENVIRONMENT": environment,
    }


def secret_environment(*, source_url: T, warehouse_password: T) -> dict[str, T]:
    """The secret variables of the job, each mapped to what the cloud injects it from (an ARN, a
    Secret Manager id, a Key Vault value): one place names them, so adding a secret to the
    contract fails every cloud's synthesis until it is supplied here."""
    refs = {"TRICLOUD_SOURCE_URL": source_url, "TRICLOUD_WAREHOUSE_PASSWORD": warehouse_password}
    if set(refs) != set(SECRET_ENV_VARS):
        raise ValueError(f"the job's secret variables must be exactly {sorted(SECRET_ENV_VARS)}, "
                         f"got {sorted(refs)}")
    return refs


def identity_environment(cloud: str, **values: pulumi.Input[str]) -> dict[str, pulumi.Input[str]]:
    """The variables only ``cloud``'s job sets, so its SDK picks the job's own identity.

    Azure's storage client needs the user-assigned identity's client id (``AZURE_CLIENT_ID``);
    the ECS task role and the Cloud Run service account are found without help, so AWS and GCP
    set nothing here. Refusing a missing or extra name keeps the contract exact per cloud.
    """
    expected = {v.name for v in ENV_VARS if cloud in v.set_on}
    if set(values) != expected:
        raise ValueError(f"the {cloud} job's identity variables must be exactly "
                         f"{sorted(expected)}, got {sorted(values)}")
    return dict(values)
