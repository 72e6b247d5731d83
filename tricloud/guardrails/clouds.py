"""Which cloud a resource type belongs to, read from its package prefix.

Its own module so the rule model and the input readers both use it without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

CLOUD_OF_PACKAGE: Mapping[str, str] = {"aws": "aws", "gcp": "gcp", "azure-native": "azure"}


def cloud_of(type_pattern: str) -> str:
    """The cloud a resource type (or a type pattern of a rule's table) belongs to."""
    return CLOUD_OF_PACKAGE.get(type_pattern.split(":", 1)[0], "")


def clouds_of(patterns: Iterator[str] | Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted({c for c in map(cloud_of, patterns) if c}))
