"""The stack's KMS key (prod): what it encrypts, and a key policy of least privilege."""

from __future__ import annotations

import json
from fnmatch import fnmatch

import pytest

from components.aws.keys import ADMIN_ACTIONS, TOPIC_PUBLISHERS, VIA_SERVICES
from components.aws.mocks import ACCOUNT_ID
from tests.infra.support_aws import is_prod, platform_of, state_of

CLOUD = "aws"

KEY = "aws:kms/key:Key"
# Each resource type the stack's key must encrypt in prod, and the input naming the key.
ENCRYPTED_WITH_THE_KEY = {
    "aws:cloudwatch/logGroup:LogGroup": lambda i: i.get("kmsKeyId"),
    "aws:sns/topic:Topic": lambda i: i.get("kmsMasterKeyId"),
    "aws:scheduler/schedule:Schedule": lambda i: i.get("kmsKeyArn"),
    "aws:ecr/repository:Repository": lambda i: i["encryptionConfigurations"][0].get("kmsKey"),
}


def _key_arn(plan):
    return state_of(plan, plan.one(KEY))["arn"] if is_prod(plan) else None


def _key_policy(plan):
    return {s["Sid"]: s for s in json.loads(plan.one(KEY).inputs["policy"])["Statement"]}


@pytest.mark.parametrize("type_", sorted(ENCRYPTED_WITH_THE_KEY))
def test_telemetry_topic_schedule_and_registry_use_the_stack_key_in_prod(plan, type_):
    resources = plan.of_type(type_)
    assert resources
    for r in resources:
        assert ENCRYPTED_WITH_THE_KEY[type_](r.inputs) == _key_arn(plan), r.name


def test_account_root_administers_but_cannot_use_the_key(plan):
    if not is_prod(plan):
        return
    admin = _key_policy(plan)["AccountAdministers"]
    assert admin["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}
    assert set(admin["Action"]) == set(ADMIN_ACTIONS)
    assert not {a for a in admin["Action"]
                if a.startswith(("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
                                 "kms:ReEncrypt", "kms:CreateGrant"))}


def test_the_account_uses_the_key_only_through_the_data_services(plan):
    if not is_prod(plan):
        return
    region = platform_of(plan.stack).region
    use = _key_policy(plan)["UseThroughDataServices"]
    assert use["Condition"]["StringEquals"] == {
        "kms:CallerAccount": ACCOUNT_ID,
        "kms:ViaService": [f"{s}.{region}.amazonaws.com" for s in VIA_SERVICES]}
    assert set(VIA_SERVICES) == {"ecr", "rds", "s3", "scheduler", "secretsmanager"}
    grant = _key_policy(plan)["GrantToDataServices"]
    assert grant["Action"] == ["kms:CreateGrant"]
    assert grant["Condition"] == {"StringEquals": use["Condition"]["StringEquals"],
                                  "Bool": {"kms:GrantIsForAWSResource": "true"}}
    assert "kms:CreateGrant" not in use["Action"]


def test_cloudwatch_logs_may_use_the_key_for_exactly_this_stacks_log_groups(plan):
    if not is_prod(plan):
        return
    region = platform_of(plan.stack).region
    logs = _key_policy(plan)["LogsForThisStack"]
    assert logs["Principal"] == {"Service": f"logs.{region}.amazonaws.com"}
    patterns = logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    groups = [f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:{g.inputs['name']}"
              for g in plan.of_type("aws:cloudwatch/logGroup:LogGroup")]
    assert all(any(fnmatch(g, p) for p in patterns) for g in groups), (groups, patterns)
    other_stack = f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:/tricloud/other/ecs/pipeline"
    assert not any(fnmatch(other_stack, p) for p in patterns)


def test_alarm_and_event_publishers_may_encrypt_to_the_topic_for_this_account(plan):
    if not is_prod(plan):
        return
    publish = _key_policy(plan)["AlertsPublishToTopic"]
    assert set(publish["Principal"]["Service"]) == set(TOPIC_PUBLISHERS)
    assert publish["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}
    assert set(_key_policy(plan)) == {"AccountAdministers", "UseThroughDataServices",
                                      "GrantToDataServices", "LogsForThisStack",
                                      "AlertsPublishToTopic"}
