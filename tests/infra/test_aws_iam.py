"""Every policy document in every AWS plan: no wildcard actions, only this stack's ARNs."""

from __future__ import annotations

import json

from components.aws.database import OS_METRICS_LOG_GROUP
from components.aws.iam import UNSCOPABLE_ACTIONS
from components.aws.mocks import ACCOUNT_ID
from tests.infra.support_aws import (
    as_list,
    by_name,
    is_stack_arn,
    platform_of,
    policies,
    stack_arns,
    state_of,
    statements,
)

CLOUD = "aws"

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
KEY = "aws:kms/key:Key"
ACCOUNT_ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"


def _account_log_groups(plan):
    """The one log group of the account (not the stack) a role may write: RDS's OS metrics."""
    group = f"arn:aws:logs:{platform_of(plan.stack).region}:{ACCOUNT_ID}:log-group:" \
            f"{OS_METRICS_LOG_GROUP}"
    return {group, f"{group}:log-stream:*"}


def _allows(plan, role):
    policy = by_name(plan, ROLE_POLICY, role)
    return [s for s in statements(json.loads(policy.inputs["policy"])) if s["Effect"] == "Allow"]


def test_every_policy_parses_as_a_versioned_document(plan):
    found = policies(plan)
    assert len(found) >= 10  # 4 roles, 4 role policies, 2 bucket policies, 1 topic policy
    for resource, key, document in found:
        assert document["Version"] == "2012-10-17", (resource.name, key)
        assert statements(document), (resource.name, key)


def test_no_allow_statement_has_a_wildcard_action(plan):
    for resource, _key, document in policies(plan):
        for statement in statements(document):
            if statement["Effect"] == "Allow":
                wild = [a for a in as_list(statement["Action"]) if "*" in a]
                assert not wild, f"{resource.type} {resource.name}: {wild}"
            assert "NotAction" not in statement and "NotResource" not in statement


def test_every_allowed_resource_is_an_arn_of_this_stack(plan):
    owned = stack_arns(plan)
    for resource, _key, document in policies(plan):
        for statement in statements(document):
            if statement["Effect"] != "Allow" or "Resource" not in statement:
                continue
            actions = set(as_list(statement["Action"]))
            for arn in as_list(statement["Resource"]):
                if resource.type == KEY:  # in a key policy, "*" is the key itself
                    assert arn == "*", resource.name
                elif arn in _account_log_groups(plan):
                    assert actions <= {"logs:CreateLogGroup", "logs:PutRetentionPolicy",
                                       "logs:CreateLogStream", "logs:DescribeLogStreams",
                                       "logs:GetLogEvents", "logs:PutLogEvents"}
                elif arn == "*":
                    assert actions <= UNSCOPABLE_ACTIONS, f"{resource.name}: * for {actions}"
                else:
                    assert is_stack_arn(arn, owned), f"{resource.name}: {arn} is not this stack's"


def test_roles_trust_one_service_on_behalf_of_this_account_only(plan):
    for role in plan.of_type(ROLE):
        (statement,) = statements(json.loads(role.inputs["assumeRolePolicy"]))
        assert statement["Action"] == ["sts:AssumeRole"]
        assert set(statement["Principal"]) == {"Service"}
        assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}


def test_resource_policies_never_allow_anyone(plan):
    for resource, key, document in policies(plan):
        if key != "policy" or resource.type == ROLE_POLICY:
            continue
        for statement in statements(document):
            if statement["Effect"] == "Allow":
                assert statement["Principal"] not in ("*", {"AWS": "*"}), resource.name
                if resource.type == KEY and statement["Principal"] == {"AWS": ACCOUNT_ROOT}:
                    continue  # the account itself; what it may do is pinned by the key tests
                assert statement.get("Condition"), f"{resource.name}: unconditioned allow"


def test_task_role_reads_and_writes_only_the_two_buckets(plan):
    buckets = {state_of(plan, by_name(plan, "aws:s3/bucket:Bucket", zone))["arn"]
               for zone in ("raw", "processed")}
    s3 = [s for s in _allows(plan, "task") if any(a.startswith("s3:") for a in s["Action"])]
    resources = {r for s in s3 for r in s["Resource"]}
    assert resources == buckets | {f"{b}/*" for b in buckets}


def test_execution_role_pulls_reads_secrets_and_writes_logs_only(plan):
    actions = {a for s in _allows(plan, "execution") for a in s["Action"]}
    assert {"ecr:BatchGetImage", "secretsmanager:GetSecretValue", "logs:PutLogEvents"} <= actions
    assert not {a for a in actions if a.startswith(("s3:", "iam:", "ecs:"))}


def test_scheduler_runs_only_this_task_and_passes_only_its_roles(plan):
    allows = {s["Sid"]: s for s in _allows(plan, "scheduler")}
    task_definition = state_of(plan, plan.one("aws:ecs/taskDefinition:TaskDefinition"))["arn"]
    cluster = state_of(plan, plan.one("aws:ecs/cluster:Cluster"))["arn"]
    assert allows["RunPipelineTask"]["Resource"] == [task_definition]
    assert allows["RunPipelineTask"]["Condition"] == {"ArnEquals": {"ecs:cluster": cluster}}
    roles = {state_of(plan, by_name(plan, ROLE, n))["arn"] for n in ("execution", "task")}
    assert set(allows["PassTaskRoles"]["Resource"]) == roles
    assert allows["PassTaskRoles"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}
    assert set(allows) == {"RunPipelineTask", "PassTaskRoles", "DeadLetter"}
