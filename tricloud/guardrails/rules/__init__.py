"""The rule set, one module per concern; each module's table translates the rule per cloud."""

from tricloud.guardrails.model import Rule
from tricloud.guardrails.rules import (
    broad_iam,
    data_protection,
    encryption,
    log_retention,
    open_ingress,
    private_access,
    public_database,
    public_storage,
    required_tags,
    telemetry_encryption,
)

RULES: tuple[Rule, ...] = (
    public_storage.RULE,
    encryption.RULE,
    public_database.RULE,
    open_ingress.RULE,
    broad_iam.RULE,
    required_tags.RULE,
    data_protection.RULE,
    log_retention.RULE,
    telemetry_encryption.RULE,
    private_access.RULE,
)

BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
