"""(e) IAM that grants everything: a wildcard action or a basic/owner role.

A ``*`` *resource* is sometimes unavoidable (``ecr:GetAuthorizationToken`` has no resource), so
only actions are judged here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from components.azure import roles
from tricloud.guardrails.model import Resource, Rule, Severity
from tricloud.guardrails.read import TypeTable, as_list, as_mapping

GCP_BASIC_ROLES = frozenset({"roles/owner", "roles/editor", "roles/viewer"})
AWS_BROAD_POLICIES = frozenset({"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"})


def _wild(action: Any) -> bool:
    return isinstance(action, str) and (action == "*" or action.endswith(":*"))


def _statements(document: Any) -> Iterator[str]:
    for s in as_list(as_mapping(document).get("Statement")):
        s = as_mapping(s)
        if s.get("Effect") != "Allow":
            continue
        sid = s.get("Sid", "")
        for action in as_list(s.get("Action")):
            if _wild(action):
                yield f"statement {sid!r} allows the wildcard action {action!r}"
        if s.get("NotAction") is not None:
            yield f"statement {sid!r} allows everything but its NotAction list"


def _aws_policy(r: Resource) -> Iterator[str]:
    return _statements(r.inputs.get("policy"))


def _aws_role(r: Resource) -> Iterator[str]:
    for inline in as_list(r.inputs.get("inlinePolicies")):
        yield from _statements(as_mapping(inline).get("policy"))


def _aws_attachment(r: Resource) -> Iterator[str]:
    name = str(r.inputs.get("policyArn", "")).rsplit("/", 1)[-1]
    if name in AWS_BROAD_POLICIES:
        yield f"attaches the AWS managed policy {name}"


def _gcp_role(r: Resource) -> Iterator[str]:
    if r.inputs.get("role") in GCP_BASIC_ROLES:
        yield f"grants the basic role {r.inputs['role']}"


def _gcp_policy(r: Resource) -> Iterator[str]:
    for binding in as_list(as_mapping(r.inputs.get("policyData")).get("bindings")):
        if as_mapping(binding).get("role") in GCP_BASIC_ROLES:
            yield f"grants the basic role {as_mapping(binding)['role']}"


def _azure_assignment(r: Resource) -> Iterator[str]:
    role = roles.BROAD.get(str(r.inputs.get("roleDefinitionId", "")).rsplit("/", 1)[-1])
    if role:
        yield f"assigns the built-in role {role}"


def _azure_definition(r: Resource) -> Iterator[str]:
    for permission in as_list(r.inputs.get("permissions")):
        for action in as_list(as_mapping(permission).get("actions")):
            if action == "*" or str(action).endswith("/*"):
                yield f"custom role allows the wildcard action {action!r}"


READERS = TypeTable({
    "aws:iam/policy:Policy": _aws_policy,
    "aws:iam/rolePolicy:RolePolicy": _aws_policy,
    "aws:iam/userPolicy:UserPolicy": _aws_policy,
    "aws:iam/groupPolicy:GroupPolicy": _aws_policy,
    "aws:iam/role:Role": _aws_role,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": _aws_attachment,
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": _aws_attachment,
    "aws:s3/bucketPolicy:BucketPolicy": _aws_policy,
    "aws:sns/topicPolicy:TopicPolicy": _aws_policy,
    "aws:sqs/queuePolicy:QueuePolicy": _aws_policy,
    "aws:secretsmanager/secretPolicy:SecretPolicy": _aws_policy,
    "re:gcp:[a-zA-Z0-9]+/[a-zA-Z0-9]*(IAM|Iam|iAM)(Member|Binding):.*": _gcp_role,
    "re:gcp:[a-zA-Z0-9]+/[a-zA-Z0-9]*(IAM|Iam|iAM)Policy:.*": _gcp_policy,
    "azure-native:authorization:RoleAssignment": _azure_assignment,
    "azure-native:authorization:RoleDefinition": _azure_definition,
})


RULE = Rule(
    id="broad-iam", severity=Severity.MANDATORY,
    title="an IAM grant with a wildcard action or a basic/owner role",
    fixes={
        "aws": "list the exact actions (components/aws/policies.Statement) on the named "
               "resources; no '*', 'service:*', NotAction or AdministratorAccess",
        "gcp": "grant the narrowest predefined role (e.g. roles/storage.objectUser) on the one "
               "resource, never roles/owner, roles/editor or roles/viewer",
        "azure": "assign a data-plane role (components/azure/roles.py) scoped to the one "
                 "resource, never Owner, Contributor, Reader or User Access Administrator",
    },
    clouds=READERS.clouds, check=READERS.check,
)
