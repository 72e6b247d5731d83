"""Job logs with a retention, and an e-mail alert whenever a pipeline run fails.

In prod the log group and the topic are encrypted with the stack's key (see ``keys.py``, whose
policy lets CloudWatch Logs and the alarm/event publishers use it).

A run can fail two ways: the pipeline reports a failed stage (a JSON line with
``"status": "failed"``, see ``pipeline/runlog.py``), or the task dies before it can log
(image pull, out of memory, non-zero exit). The first is a log metric alarm, the second an
EventBridge rule on the task's STOPPED event; both go to one SNS topic.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.policies import Statement, document
from components.aws.scope import Scope

FAILED_RUN_PATTERN = '{ $.status = "failed" }'
METRIC_NAMESPACE = "tricloud"


@dataclass(frozen=True)
class MonitoringArgs:
    task_family: str
    log_retention_days: int
    alert_emails: Sequence[str]


class Monitoring(pulumi.ComponentResource):
    """Log group, alert topic with e-mail subscriptions, failed-run alarm and task-failure rule."""

    def __init__(self, name: str, args: MonitoringArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Monitoring", name, None, opts)
        child = scope.child(self)
        self.log_group = aws.cloudwatch.LogGroup(
            "job", name=names.log_group_name("ecs", scope.stack, "pipeline"),
            retention_in_days=args.log_retention_days, kms_key_id=scope.kms_key_arn, opts=child)
        self.topic = aws.sns.Topic("alerts", name=names.stack_name(scope.stack, "alerts"),
                                   kms_master_key_id=scope.kms_key_arn, opts=child)
        for i, email in enumerate(args.alert_emails):
            aws.sns.TopicSubscription(f"alerts-{i}", topic=self.topic.arn, protocol="email",
                                      endpoint=email, opts=child)

        metric_name = f"{scope.stack}-failed-runs"
        aws.cloudwatch.LogMetricFilter(
            "failed-runs", log_group_name=self.log_group.name, pattern=FAILED_RUN_PATTERN,
            metric_transformation={"name": metric_name, "namespace": METRIC_NAMESPACE,
                                   "value": "1", "default_value": "0"}, opts=child)
        self.alarm = aws.cloudwatch.MetricAlarm(
            "failed-runs", name=names.stack_name(scope.stack, "failed-runs"),
            alarm_description="A pipeline stage reported status=failed",
            namespace=METRIC_NAMESPACE, metric_name=metric_name, statistic="Sum", period=300,
            evaluation_periods=1, threshold=0, comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching", alarm_actions=[self.topic.arn], opts=child)

        rule = aws.cloudwatch.EventRule(
            "task-failed", name=names.stack_name(scope.stack, "task-failed"),
            description="A pipeline task stopped with a non-zero exit code",
            event_pattern=json.dumps({
                "source": ["aws.ecs"], "detail-type": ["ECS Task State Change"],
                "detail": {"lastStatus": ["STOPPED"], "group": [f"family:{args.task_family}"],
                           "containers": {"exitCode": [{"anything-but": 0}]}},
            }), opts=child)
        policy = aws.sns.TopicPolicy("alerts", arn=self.topic.arn, policy=document(
            Statement(sid="AlarmsPublish", actions=["sns:Publish"], resources=[self.topic.arn],
                      principals={"Service": "cloudwatch.amazonaws.com"},
                      conditions={"StringEquals": {"aws:SourceAccount": scope.account_id}}),
            Statement(sid="TaskFailurePublish", actions=["sns:Publish"],
                      resources=[self.topic.arn],
                      principals={"Service": "events.amazonaws.com"},
                      conditions={"ArnEquals": {"aws:SourceArn": rule.arn}}),
        ), opts=child)
        aws.cloudwatch.EventTarget(
            "task-failed", rule=rule.name, arn=self.topic.arn,
            opts=scope.child(self, depends_on=[policy]))
        self.register_outputs({"log_group": self.log_group.name, "topic_arn": self.topic.arn,
                               "alarm_arn": self.alarm.arn})
