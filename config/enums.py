"""The closed choices of the config, as enums so every value is spelled once."""

from __future__ import annotations

from enum import StrEnum


class Cloud(StrEnum):
    AWS = "aws"
    GCP = "gcp"
    AZURE = "azure"

    @property
    def title(self) -> str:
        """The cloud's name as people write it, for messages."""
        return {"aws": "AWS", "gcp": "GCP", "azure": "Azure"}[self.value]


class Environment(StrEnum):
    DEV = "dev"
    STAGING = "staging"
    PROD = "prod"


class Size(StrEnum):
    """Neutral database sizes; ``config.sizes`` maps each to a machine type per cloud."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class NatMode(StrEnum):
    """How private workloads reach the internet: a cost/availability trade-off, not a flag pile."""

    NONE = "none"
    SINGLE = "single"
    PER_ZONE = "per_zone"


class Source(StrEnum):
    """What the pipeline job ingests from; the platforms pass it as ``TRICLOUD_SOURCE``."""

    POSTGRES = "postgres"
    CDC = "cdc"
    EXPORTS = "exports"
