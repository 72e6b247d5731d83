"""The pipeline's settings: parsed once, at the entry point, from environment variables and flags.

The variable names below are a contract with the cloud platforms: every cloud's job definition
sets exactly these (see ``components/contract.py``), so the container needs no other
configuration. Nothing here reads the environment at import time; ``Settings.from_env`` is
called by the CLI with the mapping it was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote


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


# The single list of variables; the README table and the platform contract are built from it.
ENV_VARS: tuple[EnvVar, ...] = (
    EnvVar("TRICLOUD_SOURCE", "`postgres` (default) or `exports`: what ingest reads."),
    EnvVar("TRICLOUD_SOURCE_URL", "libpq URL of the OLTP source database.", secret=True),
    EnvVar("TRICLOUD_LANDING_URI", "Where table exports (CSV, JSON Lines, Parquet) are dropped.",
           required_in_cloud=False),
    EnvVar("TRICLOUD_RAW_URI", "Raw zone: immutable Parquet per table and ingest batch."),
    EnvVar("TRICLOUD_PROCESSED_URI", "Processed zone: star schema batches and quarantine."),
    EnvVar("TRICLOUD_WAREHOUSE_HOST", "Warehouse PostgreSQL host."),
    EnvVar("TRICLOUD_WAREHOUSE_PORT", "Warehouse PostgreSQL port (default 5432)."),
    EnvVar("TRICLOUD_WAREHOUSE_DB", "Warehouse database name."),
    EnvVar("TRICLOUD_WAREHOUSE_USER", "Warehouse user."),
    EnvVar("TRICLOUD_WAREHOUSE_PASSWORD", "Warehouse password.", secret=True),
    EnvVar("TRICLOUD_WAREHOUSE_SSLMODE",
           "libpq sslmode: `prefer` locally, `require` on the clouds."),
    EnvVar("TRICLOUD_ENVIRONMENT", "dev, staging or prod: tags every log line."),
    EnvVar("TRICLOUD_LOCAL_DIR",
           "Folder of the embedded local default (server data, raw, processed, reports). "
           "Used only when no warehouse host is set.", required_in_cloud=False),
)

ENV_VAR_NAMES: frozenset[str] = frozenset(v.name for v in ENV_VARS)


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
        return (f"postgresql://{auth}@{self.host}:{self.port}/{quote(self.database, safe='')}"
                f"?sslmode={self.sslmode}")


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
        local_dir = Path(env.get("TRICLOUD_LOCAL_DIR", ".tricloud"))
        source_raw = env.get("TRICLOUD_SOURCE", SourceKind.POSTGRES.value)
        try:
            source = SourceKind(source_raw)
        except ValueError:
            allowed = ", ".join(k.value for k in SourceKind)
            raise SettingsError(
                f"TRICLOUD_SOURCE={source_raw!r} is not a source kind; use one of: {allowed}"
            ) from None
        host = env.get("TRICLOUD_WAREHOUSE_HOST")
        if not host:
            base = cls.local(local_dir, source=source)
            return cls(
                source=source,
                source_url=env.get("TRICLOUD_SOURCE_URL"),
                landing_uri=env.get("TRICLOUD_LANDING_URI", base.landing_uri),
                raw_uri=env.get("TRICLOUD_RAW_URI", base.raw_uri),
                processed_uri=env.get("TRICLOUD_PROCESSED_URI", base.processed_uri),
                warehouse=None,
                environment=env.get("TRICLOUD_ENVIRONMENT", "local"),
                local_dir=base.local_dir,
            )
        missing = [n for n in ("TRICLOUD_RAW_URI", "TRICLOUD_PROCESSED_URI",
                               "TRICLOUD_WAREHOUSE_DB", "TRICLOUD_WAREHOUSE_USER")
                   if not env.get(n)]
        if source is SourceKind.POSTGRES and not env.get("TRICLOUD_SOURCE_URL"):
            missing.append("TRICLOUD_SOURCE_URL")
        if source is SourceKind.EXPORTS and not env.get("TRICLOUD_LANDING_URI"):
            missing.append("TRICLOUD_LANDING_URI")
        if missing:
            raise SettingsError(
                "TRICLOUD_WAREHOUSE_HOST is set, so the pipeline runs against a real platform and "
                f"also needs: {', '.join(missing)}"
            )
        port_raw = env.get("TRICLOUD_WAREHOUSE_PORT", "5432")
        if not port_raw.isdigit() or not 0 < int(port_raw) < 65536:
            raise SettingsError(
                f"TRICLOUD_WAREHOUSE_PORT={port_raw!r} is not a TCP port (1-65535)"
            )
        return cls(
            source=source,
            source_url=env.get("TRICLOUD_SOURCE_URL"),
            landing_uri=env.get("TRICLOUD_LANDING_URI"),
            raw_uri=env["TRICLOUD_RAW_URI"],
            processed_uri=env["TRICLOUD_PROCESSED_URI"],
            warehouse=WarehouseTarget(
                host=host,
                port=int(port_raw),
                database=env["TRICLOUD_WAREHOUSE_DB"],
                user=env["TRICLOUD_WAREHOUSE_USER"],
                password=env.get("TRICLOUD_WAREHOUSE_PASSWORD", ""),
                sslmode=env.get("TRICLOUD_WAREHOUSE_SSLMODE", "prefer"),
            ),
            environment=env.get("TRICLOUD_ENVIRONMENT", "dev"),
            local_dir=local_dir,
        )
