"""The pipeline's settings: parsed once, at the entry point, from environment variables and flags.

The variable names below are a contract with the cloud platforms: every cloud's job definition
sets exactly these (see ``components/contract.py``), so the container needs no other
configuration. Nothing here reads the environment at import time; ``Settings.from_env`` is
called by the CLI with the mapping it was given.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote, urlsplit


class SourceKind(StrEnum):
    """Where ingest reads from."""

    POSTGRES = "postgres"
    EXPORTS = "exports"


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
    "TRICLOUD_SOURCE", "`postgres` (default) or `exports`: what ingest reads.", output="source_kind"
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
    output="memory_mb",
)
SPILL_DIR = EnvVar(
    "TRICLOUD_SPILL_DIR",
    "Folder the transform engine spills to past its memory limit (default: the system "
    "temporary folder).",
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


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what is allowed."""


@dataclass(frozen=True)
class WarehouseTarget:
    """Connection parameters of the warehouse; ``None`` host means the embedded local server."""

    host: str
    port: int
    database: str
    user: str
    password: str = field(repr=False)
    sslmode: str = "prefer"

    def conninfo(self) -> str:
        """A libpq URL; the password is quoted so any character is safe."""
        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        database = quote(self.database, safe="")
        if self.host.startswith("/"):  # a Unix socket directory, e.g. Cloud SQL's /cloudsql/...
            return (
                f"postgresql://{auth}@/{database}?host={quote(self.host, safe='/')}"
                f"&port={self.port}&sslmode={self.sslmode}"
            )
        return f"postgresql://{auth}@{self.host}:{self.port}/{database}?sslmode={self.sslmode}"


@dataclass(frozen=True)
class Endpoint:
    """Where a storage emulator (or other compatible service) answers, split as pyarrow wants."""

    scheme: str
    authority: str

    @classmethod
    def parse(cls, name: str, value: str) -> Endpoint:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
            raise SettingsError(
                f"{name}={value!r} is not an endpoint URL; use "
                "http(s)://host[:port], e.g. http://127.0.0.1:9000"
            )
        return cls(parts.scheme, parts.netloc)


@dataclass(frozen=True)
class StorageConfig:
    """How ``pipeline.storage`` connects per URI scheme; empty means each cloud's own defaults.

    On the platforms nothing is set but ``azure_client_id``: S3 and GCS find the job's identity
    through their SDKs' default chains. The overrides exist so the same code reaches emulators.
    """

    s3_endpoint: Endpoint | None = None
    gcs_endpoint: Endpoint | None = None
    azure_blob_endpoint: Endpoint | None = None
    azure_account_key: str | None = field(default=None, repr=False)
    azure_client_id: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> StorageConfig:
        def endpoint(name: str) -> Endpoint | None:
            value = env.get(name)
            return Endpoint.parse(name, value) if value else None

        azure = endpoint(AZURE_BLOB_ENDPOINT.name)
        key = env.get(AZURE_ACCOUNT_KEY.name) or None
        if key is not None:
            if azure is None:
                raise SettingsError(
                    f"{AZURE_ACCOUNT_KEY.name} is for emulators only and needs "
                    f"{AZURE_BLOB_ENDPOINT.name}; on Azure the job's managed identity is used"
                )
            try:
                base64.b64decode(key, validate=True)
            except binascii.Error:
                raise SettingsError(
                    f"{AZURE_ACCOUNT_KEY.name} is not base64; use the "
                    "emulator's account key as printed by it"
                ) from None
        return cls(
            s3_endpoint=endpoint(S3_ENDPOINT.name),
            gcs_endpoint=endpoint(GCS_ENDPOINT.name),
            azure_blob_endpoint=azure,
            azure_account_key=key,
            azure_client_id=env.get(AZURE_CLIENT_ID.name) or None,
        )


@dataclass(frozen=True)
class EngineConfig:
    """The transform engine's resources: the job's memory (None: found from the cgroup) and
    where to spill (None: the system temporary folder)."""

    memory_mb: int | None = None
    spill_dir: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EngineConfig:
        memory = env.get(MEMORY_MB.name) or None
        if memory is not None and (not memory.isdigit() or int(memory) < 256):
            raise SettingsError(
                f"{MEMORY_MB.name}={memory!r} is not a memory size; use the "
                "job's memory in MiB, at least 256, e.g. 4096"
            )
        spill = env.get(SPILL_DIR.name) or None
        return cls(int(memory) if memory else None, Path(spill) if spill else None)


@dataclass(frozen=True)
class Settings:
    """Everything a pipeline run needs, typed. Build it with ``from_env`` or ``local``."""

    source: SourceKind
    source_url: str | None = field(repr=False)
    landing_uri: str | None
    raw_uri: str
    processed_uri: str
    warehouse: WarehouseTarget | None
    environment: str = "local"
    local_dir: Path = Path(".tricloud")
    storage: StorageConfig = field(default_factory=StorageConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)

    @property
    def is_local(self) -> bool:
        """True when the warehouse (and source) are the embedded server under ``local_dir``."""
        return self.warehouse is None

    @classmethod
    def local(cls, local_dir: Path, *, source: SourceKind = SourceKind.POSTGRES) -> Settings:
        """The embedded local default: everything under one folder, nothing to configure."""
        local_dir = local_dir.resolve()
        return cls(
            source=source,
            source_url=None,
            landing_uri=(local_dir / "landing").as_uri(),
            raw_uri=(local_dir / "raw").as_uri(),
            processed_uri=(local_dir / "processed").as_uri(),
            warehouse=None,
            local_dir=local_dir,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Parse the contract variables; with no warehouse host, fall back to the local default."""
        local_dir = Path(env.get(LOCAL_DIR.name, ".tricloud"))
        source_raw = env.get(SOURCE.name, SourceKind.POSTGRES.value)
        try:
            source = SourceKind(source_raw)
        except ValueError:
            allowed = ", ".join(k.value for k in SourceKind)
            raise SettingsError(
                f"{SOURCE.name}={source_raw!r} is not a source kind; use one of: {allowed}"
            ) from None
        storage = StorageConfig.from_env(env)
        engine = EngineConfig.from_env(env)
        host = env.get(WAREHOUSE_HOST.name)
        if not host:
            base = cls.local(local_dir, source=source)
            return cls(
                source=source,
                source_url=env.get(SOURCE_URL.name),
                landing_uri=env.get(LANDING_URI.name, base.landing_uri),
                raw_uri=env.get(RAW_URI.name, base.raw_uri),
                processed_uri=env.get(PROCESSED_URI.name, base.processed_uri),
                warehouse=None,
                environment=env.get(ENVIRONMENT.name, "local"),
                local_dir=base.local_dir,
                storage=storage,
                engine=engine,
            )
        missing = [
            n
            for n in (RAW_URI.name, PROCESSED_URI.name, WAREHOUSE_DB.name, WAREHOUSE_USER.name)
            if not env.get(n)
        ]
        if source is SourceKind.POSTGRES and not env.get(SOURCE_URL.name):
            missing.append(SOURCE_URL.name)
        if source is SourceKind.EXPORTS and not env.get(LANDING_URI.name):
            missing.append(LANDING_URI.name)
        if missing:
            raise SettingsError(
                f"{WAREHOUSE_HOST.name} is set, so the pipeline runs against a real platform and "
                f"also needs: {', '.join(missing)}"
            )
        port_raw = env.get(WAREHOUSE_PORT.name, "5432")
        if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
            raise SettingsError(f"{WAREHOUSE_PORT.name}={port_raw!r} is not a TCP port (1-65535)")
        return cls(
            source=source,
            source_url=env.get(SOURCE_URL.name),
            landing_uri=env.get(LANDING_URI.name),
            raw_uri=env[RAW_URI.name],
            processed_uri=env[PROCESSED_URI.name],
            warehouse=WarehouseTarget(
                host=host,
                port=int(port_raw),
                database=env[WAREHOUSE_DB.name],
                user=env[WAREHOUSE_USER.name],
                password=env.get(WAREHOUSE_PASSWORD.name, ""),
                sslmode=env.get(WAREHOUSE_SSLMODE.name, "prefer"),
            ),
            environment=env.get(ENVIRONMENT.name, "dev"),
            local_dir=local_dir,
            storage=storage,
            engine=engine,
        )
