"""The pipeline's settings: parsed once, at the entry point, from environment variables and flags.

The parts live in files named for what they hold: ``variables`` (the environment contract with
the platforms: every variable, declared once), ``pipeline_settings`` (``Settings`` and its
parsing), ``warehouse_target``, ``storage_config``, ``engine_config``, ``cdc_config`` and
``problems`` (the error a bad setting raises). Import them from here:
``from pipeline.settings import ENV_VARS, Settings``.
"""

from pipeline.settings.cdc_config import SLOT_NAME, CdcConfig
from pipeline.settings.choices import LogFormat
from pipeline.settings.engine_config import EngineConfig
from pipeline.settings.pipeline_settings import Settings
from pipeline.settings.problems import SettingsError
from pipeline.settings.storage_config import Endpoint, StorageConfig
from pipeline.settings.variables import (
    AZURE_ACCOUNT_KEY,
    AZURE_BLOB_ENDPOINT,
    AZURE_CLIENT_ID,
    CDC_BATCH_CHANGES,
    CDC_LAG_WARN_MB,
    CDC_LAG_WARN_SECONDS,
    CDC_PUBLICATION,
    CDC_SLOT,
    ENV_VAR_NAMES,
    ENV_VARS,
    ENVIRONMENT,
    GCS_ENDPOINT,
    LANDING_URI,
    LOCAL_DIR,
    LOG_FORMAT,
    MEMORY_MB,
    PROCESSED_URI,
    RAW_URI,
    S3_ENDPOINT,
    SOURCE,
    SOURCE_URL,
    SPILL_DIR,
    WAREHOUSE_DB,
    WAREHOUSE_HOST,
    WAREHOUSE_PASSWORD,
    WAREHOUSE_PORT,
    WAREHOUSE_SSLMODE,
    WAREHOUSE_USER,
    EnvVar,
    SourceKind,
    platform_env_names,
)
from pipeline.settings.warehouse_target import WarehouseTarget

__all__ = [
    "AZURE_ACCOUNT_KEY",
    "AZURE_BLOB_ENDPOINT",
    "AZURE_CLIENT_ID",
    "CDC_BATCH_CHANGES",
    "CDC_LAG_WARN_MB",
    "CDC_LAG_WARN_SECONDS",
    "CDC_PUBLICATION",
    "CDC_SLOT",
    "ENVIRONMENT",
    "ENV_VARS",
    "ENV_VAR_NAMES",
    "GCS_ENDPOINT",
    "LANDING_URI",
    "LOCAL_DIR",
    "LOG_FORMAT",
    "MEMORY_MB",
    "PROCESSED_URI",
    "RAW_URI",
    "S3_ENDPOINT",
    "SLOT_NAME",
    "SOURCE",
    "SOURCE_URL",
    "SPILL_DIR",
    "WAREHOUSE_DB",
    "WAREHOUSE_HOST",
    "WAREHOUSE_PASSWORD",
    "WAREHOUSE_PORT",
    "WAREHOUSE_SSLMODE",
    "WAREHOUSE_USER",
    "CdcConfig",
    "Endpoint",
    "EngineConfig",
    "EnvVar",
    "LogFormat",
    "Settings",
    "SettingsError",
    "SourceKind",
    "StorageConfig",
    "WarehouseTarget",
    "platform_env_names",
]
