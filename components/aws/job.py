"""Where and when the pipeline runs: an ECS cluster, a Fargate task, a Scheduler schedule.

The container's environment is the platform contract (``job_environment``) and nothing else;
its secrets are injected by ECS from Secrets Manager, never written into the task definition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.iam import SchedulerRole, SchedulerRoleArgs
from components.aws.plans import eventbridge_cron
from components.aws.scope import Scope
from components.scope import renamed
from config.schema import PipelineConfig

CONTAINER = "pipeline"
RUN_AS = "10001:10001"  # a non-root uid:gid; the image needs no root at run time
INVOCATION_RETRIES = 3
INVOCATION_MAX_AGE_SECONDS = 3600
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
# The one writable place of a read-only container: the task's ephemeral storage mounted on the
# image's temp folder, so Python's ``tempfile`` (and with it DuckDB's spill folder, see
# ``pipeline/transform/engine.py``) and the working directory need no variable to find it.
# Fargate copies the image's /tmp (mode 1777) into the volume, so the non-root user may write.
SCRATCH_VOLUME = "scratch"
SCRATCH_PATH = "/tmp"


@dataclass(frozen=True)
class JobArgs:
    pipeline: PipelineConfig
    image_ref: pulumi.Input[str]
    environment: Mapping[str, pulumi.Input[str]]
    secrets: Mapping[str, pulumi.Input[str]]
    execution_role_arn: pulumi.Input[str]
    task_role_arn: pulumi.Input[str]
    log_group_name: pulumi.Input[str]
    subnet_ids: Sequence[pulumi.Input[str]]
    security_group_id: pulumi.Input[str]
    alert_topic_arn: pulumi.Input[str]


def container_definitions(args: JobArgs, region: str) -> pulumi.Output[str]:
    """The one container: contract env, secrets by reference, awslogs, non-root, no capabilities,
    a read-only root filesystem with one writable scratch mount."""
    return pulumi.Output.json_dumps([{
        "name": CONTAINER,
        "image": args.image_ref,
        "essential": True,
        "user": RUN_AS,
        "readonlyRootFilesystem": True,
        "mountPoints": [{"sourceVolume": SCRATCH_VOLUME, "containerPath": SCRATCH_PATH,
                         "readOnly": False}],
        "environment": [{"name": k, "value": v} for k, v in sorted(args.environment.items())],
        "secrets": [{"name": k, "valueFrom": v} for k, v in sorted(args.secrets.items())],
        "linuxParameters": {"initProcessEnabled": True, "capabilities": {"drop": ["ALL"]}},
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": args.log_group_name, "awslogs-region": region,
            "awslogs-stream-prefix": CONTAINER}},
    }])


class Job(pulumi.ComponentResource):
    """ECS cluster with Container Insights, the Fargate task definition and its schedule."""

    def __init__(self, name: str, args: JobArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Job", name, None, renamed(opts, "tricloud:aws:Compute"))
        child = scope.child(self)
        family = names.task_family(scope.stack)
        self.cluster = aws.ecs.Cluster("pipeline", name=family, settings=[
            {"name": "containerInsights", "value": "enabled"}], opts=child)
        self.task_definition = aws.ecs.TaskDefinition(
            "pipeline", family=family, requires_compatibilities=["FARGATE"],
            network_mode="awsvpc", cpu=str(int(args.pipeline.cpu * 1024)),
            memory=str(int(args.pipeline.memory_gb * 1024)),
            runtime_platform={"operating_system_family": "LINUX", "cpu_architecture": "X86_64"},
            execution_role_arn=args.execution_role_arn, task_role_arn=args.task_role_arn,
            volumes=[{"name": SCRATCH_VOLUME}],
            container_definitions=container_definitions(args, scope.region), opts=child)

        dead_letters = aws.sqs.Queue(
            "schedule-dlq", name=names.stack_name(scope.stack, "schedule-dlq"),
            sqs_managed_sse_enabled=True, message_retention_seconds=DLQ_RETENTION_SECONDS,
            opts=child)
        aws.cloudwatch.MetricAlarm(
            "schedule-dlq", name=names.stack_name(scope.stack, "schedule-failed"),
            alarm_description="The scheduler could not start a pipeline run",
            namespace="AWS/SQS", metric_name="ApproximateNumberOfMessagesVisible",
            dimensions={"QueueName": dead_letters.name}, statistic="Maximum", period=300,
            evaluation_periods=1, threshold=0, comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching", alarm_actions=[args.alert_topic_arn], opts=child)
        role = SchedulerRole("scheduler", SchedulerRoleArgs(
            task_definition_arn=self.task_definition.arn, cluster_arn=self.cluster.arn,
            task_role_arns=[args.execution_role_arn, args.task_role_arn],
            dead_letter_queue_arn=dead_letters.arn), scope,
            opts=pulumi.ResourceOptions(parent=self))

        self.expression = eventbridge_cron(args.pipeline.schedule)
        self.schedule = aws.scheduler.Schedule(
            "pipeline", name=family, schedule_expression=self.expression,
            schedule_expression_timezone="UTC", flexible_time_window={"mode": "OFF"},
            kms_key_arn=scope.kms_key_arn,
            state="ENABLED",
            target={
                "arn": self.cluster.arn, "role_arn": role.arn,
                "ecs_parameters": {
                    "task_definition_arn": self.task_definition.arn, "launch_type": "FARGATE",
                    "platform_version": "LATEST", "task_count": 1,
                    "network_configuration": {"subnets": list(args.subnet_ids),
                                              "security_groups": [args.security_group_id],
                                              "assign_public_ip": False}},
                "retry_policy": {"maximum_retry_attempts": INVOCATION_RETRIES,
                                 "maximum_event_age_in_seconds": INVOCATION_MAX_AGE_SECONDS},
                "dead_letter_config": {"arn": dead_letters.arn},
            }, opts=child)
        self.job_name = self.task_definition.family
        self.register_outputs({"cluster_arn": self.cluster.arn,
                               "task_definition_arn": self.task_definition.arn,
                               "schedule_arn": self.schedule.arn,
                               "schedule_expression": self.expression})
