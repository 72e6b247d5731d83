"""The tagging rule, shared by all clouds; each cloud only translates the result."""

from __future__ import annotations

import re

from config.schema import PlatformConfig

PROJECT = "tricloud"
_LABEL_UNSAFE = re.compile(r"[^a-z0-9_-]")


def standard_tags(platform: PlatformConfig, stack: str) -> dict[str, str]:
    """project, environment, stack and managed-by on every resource, then the stack's extras."""
    return {
        "project": PROJECT,
        "environment": platform.environment.value,
        "stack": stack,
        "managed-by": "pulumi",
        **platform.tags,
    }


def as_gcp_labels(tags: dict[str, str]) -> dict[str, str]:
    """GCP labels allow only lowercase letters, digits, ``_`` and ``-``, 63 characters."""
    return {_LABEL_UNSAFE.sub("_", k.lower())[:63]: _LABEL_UNSAFE.sub("_", v.lower())[:63]
            for k, v in tags.items()}
