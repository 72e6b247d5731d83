"""AWS physical names, as pure functions over ``components.naming``.

Names that policies, event patterns or log-group paths must know *before* the resource exists
(task family, database identifier, log groups) are set explicitly rather than auto-named, so
those references are plain strings and a plan diff shows the real name. Every name carries the
stack, so two stacks in one account never collide and a reviewer can tell whose a resource is.
"""

from __future__ import annotations

from components.naming import NameRule, physical_name
from components.tags import PROJECT

BUCKET = NameRule(63)
RESOURCE = NameRule(63)  # RDS identifiers, ECS families, SQS/SNS/ECR names
IAM_ROLE = NameRule(64)
LOG_GROUP = NameRule(512, allowed="a-z0-9-/._")


def stack_name(stack: str, purpose: str) -> str:
    """``tricloud-<stack>-<purpose>``, shortened from the left so the purpose stays readable."""
    return physical_name(RESOURCE, PROJECT, stack, purpose)


def task_family(stack: str) -> str:
    """The ECS task family (and cluster and schedule name); the failure alarm's event pattern
    matches on it before the task definition exists, so both sides call this."""
    return stack_name(stack, "pipeline")


def role_name(stack: str, purpose: str) -> str:
    return physical_name(IAM_ROLE, PROJECT, stack, purpose)


def bucket_name(stack: str, zone: str, account_id: str) -> str:
    """S3 names are global across all AWS accounts: hash the account with the stack."""
    return physical_name(BUCKET, PROJECT, stack, zone, unique_for=f"{account_id}/{stack}")


def log_group_name(kind: str, stack: str, purpose: str) -> str:
    """``/tricloud/<stack>/<kind>/<purpose>``: one prefix per stack, easy to scope and to find."""
    return "/" + "/".join(physical_name(LOG_GROUP, p) for p in (PROJECT, stack, kind, purpose))


def database_identifier(stack: str) -> str:
    """The RDS instance identifier; its export log groups' path is derived from it."""
    return stack_name(stack, "warehouse")


def log_group_patterns(stack: str) -> tuple[str, str]:
    """Every log group of one stack, as name patterns: its own prefix and its RDS exports.

    The KMS key policy lets CloudWatch Logs use the stack's key for exactly these groups."""
    prefix = "/".join(physical_name(LOG_GROUP, p) for p in (PROJECT, stack))
    return (f"/{prefix}/*",
            rds_log_group_name(database_identifier(stack), "*"))


def rds_log_group_name(identifier: str, log: str) -> str:
    """The fixed path RDS exports to; creating it first lets us set its retention."""
    return f"/aws/rds/instance/{identifier}/{log}"
