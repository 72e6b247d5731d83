"""Everything a run needs, typed: ``Settings``, parsed once at the entry point.

Nothing here reads the environment at import time; ``Settings.from_env`` is called by the CLI
with the mapping it was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.settings.cdc_config import CdcConfig
from pipeline.settings.engine_config import EngineConfig
from pipeline.settings.problems import SettingsError
from pipeline.settings.storage_config import StorageConfig
from pipeline.settings.variables import (
    ENVIRONMENT,
    LANDING_URI,
    LOCAL_DIR,
    PROCESSED_URI,
    RAW_URI,
    SOURCE,
    SOURCE_URL,
    WAREHOUSE_DB,
    WAREHOUSE_HOST,
    WAREHOUSE_PASSWORD,
    WAREHOUSE_PORT,
    WAREHOUSE_SSLMODE,
    WAREHOUSE_USER,
    SourceKind,
)
from pipeline.settings.warehouse_target import WarehouseTarget


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
    cdc: CdcConfig = field(default_factory=CdcConfig)

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
        cdc = CdcConfig.from_env(env)
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
                cdc=cdc,
            )
        missing = [
            n
            for n in (RAW_URI.name, PROCESSED_URI.name, WAREHOUSE_DB.name, WAREHOUSE_USER.name)
            if not env.get(n)
        ]
        if source.reads_database and not env.get(SOURCE_URL.name):
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
            cdc=cdc,
        )
