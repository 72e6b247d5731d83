"""The pipeline's three roles, each allowed exactly what its job needs on this stack's ARNs.

- execution role: what ECS does *before* the container starts (pull the image, inject secrets,
  ship logs);
- task role: what the pipeline itself does (read/write the two buckets, read its secrets);
- scheduler role: what EventBridge Scheduler does (run this task definition, hand it the two
  roles, dead-letter a failed invocation).

The only resource that is not an ARN is ``ecr:GetAuthorizationToken``, which AWS does not scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.policies import Statement, assume_role, document, objects_of, streams_of
from components.aws.scope import Scope
from components.scope import renamed

ECS_TASKS = "ecs-tasks.amazonaws.com"
UNSCOPABLE_ACTIONS = frozenset({"ecr:GetAuthorizationToken"})


@dataclass(frozen=True)
class IdentitiesArgs:
    repository_arn: pulumi.Input[str]
    log_group_arn: pulumi.Input[str]
    secret_arns: Sequence[pulumi.Input[str]]
    bucket_arns: Sequence[pulumi.Input[str]]


def _key_statement(sid: str, actions: list[str],
                   key_arn: pulumi.Input[str] | None) -> list[Statement]:
    """Statements for the stack's KMS key, when it has one (prod)."""
    return [] if key_arn is None else [Statement(sid=sid, actions=actions, resources=[key_arn])]


class Identities(pulumi.ComponentResource):
    """The execution role and the task role of the pipeline's task definition."""

    def __init__(self, name: str, args: IdentitiesArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Identities", name, None,
                         renamed(opts, "tricloud:aws:TaskRoles"))
        child = scope.child(self)
        trust = assume_role(ECS_TASKS, scope.account_id)
        self.execution = aws.iam.Role("execution", name=names.role_name(scope.stack, "execution"),
                                      assume_role_policy=trust, opts=child)
        aws.iam.RolePolicy("execution", role=self.execution.id, policy=document(
            Statement(sid="RegistryLogin", actions=["ecr:GetAuthorizationToken"],
                      resources=["*"]),
            Statement(sid="PullImage", resources=[args.repository_arn], actions=[
                "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer"]),
            Statement(sid="WriteLogs", actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                      resources=[args.log_group_arn, streams_of(args.log_group_arn)]),
            Statement(sid="InjectSecrets", actions=["secretsmanager:GetSecretValue"],
                      resources=list(args.secret_arns)),
            *_key_statement("DecryptSecrets", ["kms:Decrypt"], scope.kms_key_arn),
        ), opts=child)

        self.task = aws.iam.Role("task", name=names.role_name(scope.stack, "task"),
                                 assume_role_policy=trust, opts=child)
        aws.iam.RolePolicy("task", role=self.task.id, policy=document(
            Statement(sid="ListBuckets", actions=["s3:GetBucketLocation", "s3:ListBucket"],
                      resources=list(args.bucket_arns)),
            Statement(sid="ReadWriteObjects", actions=[
                "s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                resources=[objects_of(arn) for arn in args.bucket_arns]),
            Statement(sid="ReadSecrets",
                      actions=["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
                      resources=list(args.secret_arns)),
            *_key_statement("UseDataKey", ["kms:Decrypt", "kms:GenerateDataKey"],
                            scope.kms_key_arn),
        ), opts=child)
        self.register_outputs({"execution_role_arn": self.execution.arn,
                               "task_role_arn": self.task.arn})


@dataclass(frozen=True)
class SchedulerRoleArgs:
    task_definition_arn: pulumi.Input[str]
    cluster_arn: pulumi.Input[str]
    task_role_arns: Sequence[pulumi.Input[str]]
    dead_letter_queue_arn: pulumi.Input[str]


class SchedulerRole(pulumi.ComponentResource):
    """The role EventBridge Scheduler assumes to start one run of the pipeline."""

    def __init__(self, name: str, args: SchedulerRoleArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:SchedulerRole", name, None, opts)
        child = scope.child(self)
        self.role = aws.iam.Role(
            "scheduler", name=names.role_name(scope.stack, "scheduler"),
            assume_role_policy=assume_role("scheduler.amazonaws.com", scope.account_id),
            opts=child)
        aws.iam.RolePolicy("scheduler", role=self.role.id, policy=document(
            Statement(sid="RunPipelineTask", actions=["ecs:RunTask"],
                      resources=[args.task_definition_arn],
                      conditions={"ArnEquals": {"ecs:cluster": args.cluster_arn}}),
            Statement(sid="PassTaskRoles", actions=["iam:PassRole"],
                      resources=list(args.task_role_arns),
                      conditions={"StringEquals": {"iam:PassedToService": ECS_TASKS}}),
            Statement(sid="DeadLetter", actions=["sqs:SendMessage"],
                      resources=[args.dead_letter_queue_arn]),
        ), opts=child)
        self.arn = self.role.arn
        self.register_outputs({"role_arn": self.role.arn})
