"""What each environment means, in one place.

A stack file holds only what differs from these; ``load`` merges the stack's values over its
environment's defaults before validation, so a value shown in a plan always has one source.
"""

from __future__ import annotations

from typing import Any

from config.enums import Environment, NatMode, Size

# How long superseded data and images are kept: the same in every environment, written once here
# and applied by every cloud (S3 and GCS lifecycle rules, an Azure management policy, each
# registry's cleanup).
RETENTION_DEFAULTS: dict[str, dict[str, Any]] = {
    "storage": {"noncurrent_version_days": 30, "incomplete_upload_days": 7},
    "images": {"keep": 10},
}

ENVIRONMENT_DEFAULTS: dict[Environment, dict[str, Any]] = {
    Environment.DEV: {
        "network": {"zones": 2, "nat": NatMode.SINGLE.value},
        "database": {
            "size": Size.SMALL.value, "storage_gb": 20, "high_availability": False,
            "backup_retention_days": 7, "deletion_protection": False,
        },
        "pipeline": {"schedule": "0 */6 * * *", "cpu": 1, "memory_gb": 2,
                     "timeout_minutes": 60, "retries": 0},
        "monitoring": {"log_retention_days": 14},
        "usage": {"run_minutes": 10, "stored_gb": 10, "log_gb_per_month": 1},
        **RETENTION_DEFAULTS,
    },
    Environment.STAGING: {
        "network": {"zones": 2, "nat": NatMode.SINGLE.value},
        "database": {
            "size": Size.MEDIUM.value, "storage_gb": 50, "high_availability": False,
            "backup_retention_days": 7, "deletion_protection": False,
        },
        "pipeline": {"schedule": "0 * * * *", "cpu": 1, "memory_gb": 2,
                     "timeout_minutes": 60, "retries": 1},
        "monitoring": {"log_retention_days": 30},
        "usage": {"run_minutes": 15, "stored_gb": 50, "log_gb_per_month": 5},
        **RETENTION_DEFAULTS,
    },
    Environment.PROD: {
        "network": {"zones": 3, "nat": NatMode.PER_ZONE.value},
        "database": {
            "size": Size.MEDIUM.value, "storage_gb": 100, "high_availability": True,
            "backup_retention_days": 30, "deletion_protection": True,
        },
        "pipeline": {"schedule": "*/30 * * * *", "cpu": 2, "memory_gb": 4,
                     "timeout_minutes": 60, "retries": 2},
        "monitoring": {"log_retention_days": 90},
        "usage": {"run_minutes": 20, "stored_gb": 500, "log_gb_per_month": 20},
        **RETENTION_DEFAULTS,
    },
}

# The least log retention each environment may have; the guardrails check against it too.
MIN_LOG_RETENTION_DAYS: dict[Environment, int] = {
    Environment.DEV: 7, Environment.STAGING: 14, Environment.PROD: 90,
}


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``override`` onto ``base`` (dicts merge, everything else replaces)."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def repeated_defaults(raw: dict[str, Any], environment: Environment) -> list[str]:
    """Keys a stack sets to its environment's default: noise that hides what really differs."""
    defaults = ENVIRONMENT_DEFAULTS[environment]
    return sorted(
        f"{section}.{key}"
        for section, values in defaults.items()
        for key, default in values.items()
        if isinstance(raw.get(section), dict) and raw[section].get(key) == default
    )
