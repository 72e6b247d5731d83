"""The closed choices of the settings, each spelled once.

The container ships without the ``config`` package, so the environments are repeated here; a
test holds them equal to ``config.enums.Environment``.
"""

from __future__ import annotations

from enum import StrEnum

# What a platform's job sets TRICLOUD_ENVIRONMENT to (the stack's environment).
ENVIRONMENTS: tuple[str, ...] = ("dev", "staging", "prod")
# The environment of a run without a warehouse host: the embedded server on a laptop.
LOCAL_ENVIRONMENT = "local"

# libpq's sslmode values.
SSL_MODES: tuple[str, ...] = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")

# Storage URI schemes and the shape of a URI of each; ``pipeline.filesystems`` serves exactly
# these (and the aliases), which a test checks.
STORAGE_SCHEMES: dict[str, str] = {
    "file": "file:///absolute/folder",
    "s3": "s3://<bucket>/<path>",
    "gs": "gs://<bucket>/<path>",
    "abfs": "abfs://<container>@<account>.dfs.core.windows.net/<path>",
}
STORAGE_SCHEME_ALIASES: dict[str, str] = {"gcs": "gs", "abfss": "abfs"}


class LogFormat(StrEnum):
    """How a run reports on stderr: ``auto`` is readable lines on a terminal, JSON off one."""

    AUTO = "auto"
    TEXT = "text"
    JSON = "json"
