"""(i) Prod logs and alert topics not encrypted with the stack's customer-managed key.

Logs and alerts carry data about the data (table names, row counts, error text with values),
so in prod they follow the data: encrypted with a key the platform team controls and can revoke,
not the provider's default key. Dev and staging keep the provider's default encryption.

Only AWS has an entry: there the log group and topic each name their key. GCP Cloud Logging
buckets and Azure Log Analytics take a customer key only through separate account-wide resources
(a CMEK settings of the organisation, a dedicated cluster), so no resource input can be read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from config.enums import Environment
from tricloud.guardrails.model import Resource, Rule, Severity, StackFacts
from tricloud.guardrails.read import TypeTable

# Aliases of the keys AWS manages itself: encryption with them is not customer-managed.
AWS_MANAGED_KEY_PREFIX = "alias/aws/"


@dataclass(frozen=True)
class KeyAt:
    """Which input names the customer-managed key of a log store or topic."""

    field: str
    what: str


KEYS = TypeTable({
    "aws:cloudwatch/logGroup:LogGroup": KeyAt("kmsKeyId", "log group"),
    "aws:sns/topic:Topic": KeyAt("kmsMasterKeyId", "topic"),
})


def check(resource: Resource, facts: StackFacts) -> Iterator[str]:
    at = KEYS.get(resource.type)
    if at is None or facts.environment != Environment.PROD.value:
        return
    key = resource.inputs.get(at.field)
    if not isinstance(key, str) or not key or key.startswith(AWS_MANAGED_KEY_PREFIX):
        yield f"the {at.what} is not encrypted with a customer-managed key ({at.field} unset)"


RULE = Rule(
    id="telemetry-without-cmk", severity=Severity.MANDATORY,
    title="prod logs or alert topic not encrypted with a customer-managed key",
    fixes={"aws": "pass the stack's KMS key (Scope.kms_key_arn) as kms_key_id of the log group "
                  "or kms_master_key_id of the topic, and let the key policy admit the service"},
    clouds=KEYS.clouds, check=check,
)
