"""The environment contract: every variable the pipeline reads, declared once.

The variable names below are a contract with the cloud platforms: every cloud's job definition
sets exactly these (see ``components/contract.py``), so the container needs no other
configuration. Each is declared here with its meaning, whether it is a secret and which platform
output feeds it; the platforms, the README table and the settings parser all read these
declarations instead of spelling a name again.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SourceKind(StrEnum):
    """Where ingest reads from."""

    POSTGRES = "postgres"
    EXPORTS = "exports"
    CDC = "cdc"

    @property
    def reads_database(self) -> bool:
        """Whether this source reads the OLTP database (and so needs its URL)."""
        return self is not SourceKind.EXPORTS


@dataclass(frozen=True)
class EnvVar:
    """One documented environment variable of the pipeline contract."""

    name: str
    description: str
    secret: bool = False
    required_in_cloud: bool = True
    # Clouds whose job also sets this variable although the others do not (identity wiring).
    set_on: tuple[str, ...] = ()
    # The platform value that feeds it (a field of components.contract.JobData); empty for the
    # variables no platform sets.
    output: str = ""

    def set_by(self, cloud: str) -> bool:
        """Whether ``cloud``'s job definition sets this variable."""
        return self.required_in_cloud or cloud in self.set_on


SOURCE = EnvVar(
    "TRICLOUD_SOURCE",
    "`postgres` (default, incremental on last_updated), `exports` or `cdc` (logical "
    "replication: every version and every delete): what ingest reads.",
    output="source_kind",
)
SOURCE_URL = EnvVar(
    "TRICLOUD_SOURCE_URL",
    "libpq URL of the OLTP source database.",
    secret=True,
    output="source_secret_ref",
)
LANDING_URI = EnvVar(
    "TRICLOUD_LANDING_URI",
    "Where table exports (CSV, JSON Lines, Parquet) are dropped.",
    required_in_cloud=False,
)
RAW_URI = EnvVar(
    "TRICLOUD_RAW_URI",
    "Raw zone: immutable Parquet per table and ingest batch.",
    output="raw_storage_uri",
)
PROCESSED_URI = EnvVar(
    "TRICLOUD_PROCESSED_URI",
    "Processed zone: star schema batches and quarantine.",
    output="processed_storage_uri",
)
WAREHOUSE_HOST = EnvVar(
    "TRICLOUD_WAREHOUSE_HOST", "Warehouse PostgreSQL host.", output="warehouse_host"
)
WAREHOUSE_PORT = EnvVar(
    "TRICLOUD_WAREHOUSE_PORT", "Warehouse PostgreSQL port (default 5432).", output="warehouse_port"
)
WAREHOUSE_DB = EnvVar(
    "TRICLOUD_WAREHOUSE_DB", "Warehouse database name.", output="warehouse_database"
)
WAREHOUSE_USER = EnvVar("TRICLOUD_WAREHOUSE_USER", "Warehouse user.", output="warehouse_user")
WAREHOUSE_PASSWORD = EnvVar(
    "TRICLOUD_WAREHOUSE_PASSWORD", "Warehouse password.", secret=True, output="warehouse_secret_ref"
)
WAREHOUSE_SSLMODE = EnvVar(
    "TRICLOUD_WAREHOUSE_SSLMODE",
    "libpq sslmode: `prefer` locally, `require` on the clouds.",
    output="warehouse_sslmode",
)
ENVIRONMENT = EnvVar(
    "TRICLOUD_ENVIRONMENT", "dev, staging or prod: tags every log line.", output="environment"
)
LOCAL_DIR = EnvVar(
    "TRICLOUD_LOCAL_DIR",
    "Folder of the embedded local default (server data, raw, processed, reports). "
    "Used only when no warehouse host is set.",
    required_in_cloud=False,
)
MEMORY_MB = EnvVar(
    "TRICLOUD_MEMORY_MB",
    "The job's memory in MiB; the transform engine's memory limit is half of it. Unset: "
    "the container's cgroup limit, else the machine's memory.",
    required_in_cloud=False,
)
SPILL_DIR = EnvVar(
    "TRICLOUD_SPILL_DIR",
    "Folder the transform engine spills to past its memory limit (default: the system "
    "temporary folder).",
    required_in_cloud=False,
)
LOG_FORMAT = EnvVar(
    "TRICLOUD_LOG_FORMAT",
    "`auto` (default), `text` or `json`: how a run reports on stderr. `auto` prints readable "
    "lines on a terminal and JSON lines off one (what the clouds' log pipelines parse).",
    required_in_cloud=False,
)
CDC_SLOT = EnvVar(
    "TRICLOUD_CDC_SLOT",
    "cdc source: the logical replication slot it reads (default `tricloud`; a-z, 0-9, _).",
    required_in_cloud=False,
)
CDC_PUBLICATION = EnvVar(
    "TRICLOUD_CDC_PUBLICATION",
    "cdc source: the publication of the 11 tables (default `tricloud`).",
    required_in_cloud=False,
)
CDC_LAG_WARN_MB = EnvVar(
    "TRICLOUD_CDC_LAG_WARN_MB",
    "cdc source: a run logs a warning when the slot was this many MiB of WAL behind "
    "(default 1024): WAL the source keeps until the pipeline catches up.",
    required_in_cloud=False,
)
CDC_LAG_WARN_SECONDS = EnvVar(
    "TRICLOUD_CDC_LAG_WARN_SECONDS",
    "cdc source: a run logs a warning when its oldest unread commit was this old (default 7200).",
    required_in_cloud=False,
)
CDC_BATCH_CHANGES = EnvVar(
    "TRICLOUD_CDC_BATCH_CHANGES",
    "cdc source: about this many row changes per raw batch (default 100000; whole "
    "transactions, so a larger transaction makes a larger batch). Bounds ingest memory; a run "
    "drains in as many batches as it needs.",
    required_in_cloud=False,
)
AZURE_CLIENT_ID = EnvVar(
    "AZURE_CLIENT_ID",
    "Client id of the Azure job's user-assigned managed identity: `abfs://` storage "
    "authenticates with it through Entra ID. Set by the Azure platform only.",
    required_in_cloud=False,
    set_on=("azure",),
    output="identity_client_id",
)
S3_ENDPOINT = EnvVar(
    "TRICLOUD_S3_ENDPOINT",
    "URL of an S3-compatible endpoint for `s3://` URIs, e.g. `http://127.0.0.1:5000` "
    "(moto). Unset on AWS; credentials come from the default AWS chain.",
    required_in_cloud=False,
)
GCS_ENDPOINT = EnvVar(
    "TRICLOUD_GCS_ENDPOINT",
    "URL of a GCS emulator for `gs://` URIs, e.g. `http://127.0.0.1:9023`; with it the "
    "client connects anonymously. Unset on GCP (application default credentials).",
    required_in_cloud=False,
)
AZURE_BLOB_ENDPOINT = EnvVar(
    "TRICLOUD_AZURE_BLOB_ENDPOINT",
    "URL of the Blob service for `abfs://` URIs, e.g. `http://127.0.0.1:10000` "
    "(Azurite). Unset on Azure.",
    required_in_cloud=False,
)
AZURE_ACCOUNT_KEY = EnvVar(
    "TRICLOUD_AZURE_ACCOUNT_KEY",
    "Emulator only: shared key for `TRICLOUD_AZURE_BLOB_ENDPOINT` (Azurite's well-known "
    "key). Refused without that endpoint: tricloud's accounts have shared keys off.",
    secret=True,
    required_in_cloud=False,
)

# The single list of variables; the README table and the platform contract are built from it,
# and the parsing below reads each name from its declaration.
ENV_VARS: tuple[EnvVar, ...] = (
    SOURCE,
    SOURCE_URL,
    LANDING_URI,
    RAW_URI,
    PROCESSED_URI,
    WAREHOUSE_HOST,
    WAREHOUSE_PORT,
    WAREHOUSE_DB,
    WAREHOUSE_USER,
    WAREHOUSE_PASSWORD,
    WAREHOUSE_SSLMODE,
    ENVIRONMENT,
    LOCAL_DIR,
    MEMORY_MB,
    SPILL_DIR,
    LOG_FORMAT,
    CDC_SLOT,
    CDC_PUBLICATION,
    CDC_LAG_WARN_MB,
    CDC_LAG_WARN_SECONDS,
    CDC_BATCH_CHANGES,
    AZURE_CLIENT_ID,
    S3_ENDPOINT,
    GCS_ENDPOINT,
    AZURE_BLOB_ENDPOINT,
    AZURE_ACCOUNT_KEY,
)

ENV_VAR_NAMES: frozenset[str] = frozenset(v.name for v in ENV_VARS)


def platform_env_names(cloud: str) -> frozenset[str]:
    """The variables a cloud's job definition must set: no fewer, and no others."""
    return frozenset(v.name for v in ENV_VARS if v.set_by(cloud))
