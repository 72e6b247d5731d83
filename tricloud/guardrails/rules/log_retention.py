"""(h) Logs kept for less than the environment's minimum (``config.MIN_LOG_RETENTION_DAYS``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from config.defaults import MIN_LOG_RETENTION_DAYS
from config.enums import Environment
from tricloud.guardrails.model import Resource, Rule, Severity, StackFacts
from tricloud.guardrails.read import TypeTable


@dataclass(frozen=True)
class RetentionAt:
    """Where a log store keeps its retention, and what the cloud does when it is unset."""

    field: str
    unset_days: int | None  # None: kept forever


RETENTION = TypeTable({
    "aws:cloudwatch/logGroup:LogGroup": RetentionAt("retentionInDays", None),
    "re:gcp:logging/[a-zA-Z]*BucketConfig:.*": RetentionAt("retentionDays", 30),
    "azure-native:operationalinsights:Workspace": RetentionAt("retentionInDays", 30),
})


def minimum_days(environment: str) -> int | None:
    try:
        return MIN_LOG_RETENTION_DAYS[Environment(environment)]
    except ValueError:
        return None


def check(resource: Resource, facts: StackFacts) -> Iterator[str]:
    at = RETENTION.get(resource.type)
    least = minimum_days(facts.environment)
    if at is None or least is None:
        return
    days = resource.inputs.get(at.field)
    if not isinstance(days, int) or days == 0:
        days = at.unset_days if days in (None, 0) else None
    if days is not None and days < least:
        yield f"logs are kept {days} days, under the {facts.environment} minimum of {least}"


RULE = Rule(
    id="short-log-retention", severity=Severity.MANDATORY,
    title="log retention under the environment's minimum",
    fixes=dict.fromkeys(
        ("aws", "gcp", "azure"),
        "raise monitoring.log_retention_days in the stack file to at least the minimum "
        "(config/defaults.py MIN_LOG_RETENTION_DAYS)"),
    clouds=RETENTION.clouds, check=check,
)
