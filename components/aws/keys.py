"""A customer-managed KMS key for the stack's data and telemetry (prod), with its own key policy.

A key of our own means access to the data can be audited and revoked independently of S3/RDS
permissions, and destroying the stack cannot silently take the key with it (it is protected
like the data it encrypts). It encrypts the buckets, the database (storage, Performance
Insights, its managed password), the secrets, the image repository, the schedule, the alert
topic and the stack's log groups.

The key policy is explicit rather than the default "the account may do anything":

- the account root may only *administer* the key (no encrypt/decrypt), so an IAM policy alone
  can never read data with it;
- principals of this account may *use* it only through the services that hold the stack's data
  (``kms:ViaService``), which is how S3, RDS, Secrets Manager, ECR and Scheduler call KMS on the
  caller's behalf, and create grants only for those services' own resources;
- CloudWatch Logs may use it only for this stack's log groups (encryption-context condition);
- CloudWatch alarms and EventBridge rules of this account may publish to the encrypted topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.policies import Statement, document
from components.aws.scope import Scope

ADMIN_ACTIONS = (
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey",
    "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
    "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants",
    "kms:ListKeyPolicies", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:RetireGrant",
    "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
    "kms:UpdateAlias", "kms:UpdateKeyDescription",
)
USE_ACTIONS = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
               "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo")
# The services that encrypt this stack's data with the key on a caller's behalf.
VIA_SERVICES = ("ecr", "rds", "s3", "scheduler", "secretsmanager")
# Services whose events/alarms publish to the encrypted SNS topic.
TOPIC_PUBLISHERS = ("cloudwatch.amazonaws.com", "events.amazonaws.com")


@dataclass(frozen=True)
class DataKeyArgs:
    purpose: str  # what the key encrypts; also its logical and alias name


def key_statements(account_id: pulumi.Input[str], region: str,
                   log_group_patterns: Sequence[str]) -> list[Statement]:
    """The key policy as statements (pure, so tests can read it without a plan)."""
    account = pulumi.Output.from_input(account_id)
    root = account.apply(lambda a: f"arn:aws:iam::{a}:root")
    via_services = {"kms:CallerAccount": account,
                    "kms:ViaService": [f"{s}.{region}.amazonaws.com" for s in VIA_SERVICES]}
    log_arns = [account.apply(lambda a, p=p: f"arn:aws:logs:{region}:{a}:log-group:{p}")
                for p in log_group_patterns]
    return [
        Statement(sid="AccountAdministers", actions=list(ADMIN_ACTIONS), resources=["*"],
                  principals={"AWS": root}),
        Statement(sid="UseThroughDataServices", actions=list(USE_ACTIONS), resources=["*"],
                  principals={"AWS": root}, conditions={"StringEquals": via_services}),
        # RDS and ECR hold the key through grants; only for their own resources.
        Statement(sid="GrantToDataServices", actions=["kms:CreateGrant"], resources=["*"],
                  principals={"AWS": root},
                  conditions={"StringEquals": via_services,
                              "Bool": {"kms:GrantIsForAWSResource": "true"}}),
        Statement(sid="LogsForThisStack", actions=list(USE_ACTIONS), resources=["*"],
                  principals={"Service": f"logs.{region}.amazonaws.com"},
                  conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_arns}}),
        Statement(sid="AlertsPublishToTopic", actions=["kms:Decrypt", "kms:GenerateDataKey"],
                  resources=["*"], principals={"Service": list(TOPIC_PUBLISHERS)},
                  conditions={"StringEquals": {"aws:SourceAccount": account}}),
    ]


class DataKey(pulumi.ComponentResource):
    """One rotating symmetric key with an explicit key policy, and a readable alias for it."""

    def __init__(self, name: str, args: DataKeyArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:DataKey", name, None, opts)
        self.key = aws.kms.Key(
            args.purpose, description=f"tricloud {scope.stack}: {args.purpose} at rest",
            enable_key_rotation=True, deletion_window_in_days=30,
            policy=document(*key_statements(scope.account_id, scope.region,
                                             names.log_group_patterns(scope.stack))),
            opts=scope.data(self))
        aws.kms.Alias(args.purpose, name=f"alias/{names.stack_name(scope.stack, args.purpose)}",
                      target_key_id=self.key.key_id, opts=scope.child(self))
        self.arn = self.key.arn
        self.register_outputs({"key_arn": self.key.arn})
