"""Everything a run needs, typed: ``Settings``, parsed once at the entry point.

Nothing here reads the environment at import time; ``Settings.from_env`` is called by the CLI
with the mapping it was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.settings.cdc_config import CdcConfig
from pipeline.settings.choices import ENVIRONMENTS, LOCAL_ENVIRONMENT, SSL_MODES, LogFormat
from pipeline.settings.engine_config import EngineConfig
from pipeline.settings.storage_config import StorageConfig
from pipeline.settings.values import Reader
from pipeline.settings.variables import (
    ENVIRONMENT,
    LANDING_URI,
    LOCAL_DIR,
    LOG_FORMAT,
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
    EnvVar,
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
    log_format: LogFormat = LogFormat.AUTO

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
        """Parse and check every contract variable; with no warehouse host, fall back to the
        local default. Raises one ``SettingsError`` listing every problem found."""
        reader = Reader(env)  # in the contract's order, so the problems list reads like it
        kind = reader.choice(SOURCE, [k.value for k in SourceKind], "a source kind")
        source = SourceKind(kind) if kind else SourceKind.POSTGRES
        source_url = reader.postgres_url(SOURCE_URL)
        uris = {var: reader.storage_uri(var) for var in (LANDING_URI, RAW_URI, PROCESSED_URI)}
        host = reader.host(WAREHOUSE_HOST)
        port = reader.port(WAREHOUSE_PORT)
        sslmode = reader.choice(WAREHOUSE_SSLMODE, SSL_MODES, "a libpq sslmode")
        environment = reader.choice(ENVIRONMENT, (*ENVIRONMENTS, LOCAL_ENVIRONMENT),
                                    "an environment")
        local_dir = reader.folder(LOCAL_DIR) or Path(".tricloud")
        engine = EngineConfig.read(reader)
        log_format = reader.choice(LOG_FORMAT, [f.value for f in LogFormat], "a log format")
        storage = StorageConfig.read(reader)
        cdc = CdcConfig.read(reader)
        reader.unknown_names()
        if reader.has(WAREHOUSE_HOST):
            _check_platform_complete(reader, source)
        else:
            _check_nothing_ignored(reader)
        reader.check()

        common = {"source": source, "source_url": source_url, "storage": storage,
                  "engine": engine, "cdc": cdc,
                  "log_format": LogFormat(log_format or LogFormat.AUTO)}
        if host is None:
            base = cls.local(local_dir, source=source)
            return cls(
                landing_uri=uris[LANDING_URI] or base.landing_uri,
                raw_uri=uris[RAW_URI] or base.raw_uri,
                processed_uri=uris[PROCESSED_URI] or base.processed_uri,
                warehouse=None,
                environment=environment or LOCAL_ENVIRONMENT,
                local_dir=base.local_dir,
                **common,
            )
        return cls(
            landing_uri=uris[LANDING_URI],
            raw_uri=str(uris[RAW_URI]),
            processed_uri=str(uris[PROCESSED_URI]),
            warehouse=WarehouseTarget(
                host=host,
                port=port or 5432,
                database=env[WAREHOUSE_DB.name],
                user=env[WAREHOUSE_USER.name],
                password=env.get(WAREHOUSE_PASSWORD.name, ""),
                sslmode=sslmode or "prefer",
            ),
            environment=environment or "dev",
            local_dir=local_dir,
            **common,
        )


def source_needs(source: SourceKind) -> EnvVar:
    """What a source reads from, when the pipeline runs against a platform (locally the
    embedded server and the local landing folder stand in)."""
    return SOURCE_URL if source.reads_database else LANDING_URI


_PLATFORM_ONLY = (WAREHOUSE_PORT, WAREHOUSE_DB, WAREHOUSE_USER, WAREHOUSE_PASSWORD,
                  WAREHOUSE_SSLMODE)


def _check_platform_complete(reader: Reader, source: SourceKind) -> None:
    needed = [RAW_URI, PROCESSED_URI, WAREHOUSE_DB, WAREHOUSE_USER, source_needs(source)]
    missing = [var.name for var in needed if not reader.has(var)]
    if missing:
        reader.problems.append(
            f"{WAREHOUSE_HOST.name} is set, so the pipeline runs against a real platform and "
            f"also needs: {', '.join(missing)} (the source is {source.value})")


def _check_nothing_ignored(reader: Reader) -> None:
    """Without a host the embedded server is the warehouse: a warehouse setting would be
    silently ignored, which is how a forgotten host variable shows."""
    ignored = [var.name for var in _PLATFORM_ONLY if reader.has(var)]
    if ignored:
        reader.problems.append(
            f"{', '.join(ignored)} {'is' if len(ignored) == 1 else 'are'} set but "
            f"{WAREHOUSE_HOST.name} is not: without a host the pipeline uses the embedded local "
            f"server and would ignore {'it' if len(ignored) == 1 else 'them'}; set "
            f"{WAREHOUSE_HOST.name}, or unset {'it' if len(ignored) == 1 else 'them'}")
