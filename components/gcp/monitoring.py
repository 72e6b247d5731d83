"""Failure alerting and log retention for the pipeline job.

Cloud Run writes an ERROR entry to the job's system log when an execution fails (after its
retries); a log-based metric counts those and an alert policy mails the stack's alert addresses
on the first one. The job's logs are also routed to a log bucket kept ``log_retention_days``,
since the project's ``_Default`` bucket keeps 30 days whatever the environment needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp import names
from components.gcp.scope import Scope
from components.naming import physical_name

SYSTEM_LOG = "run.googleapis.com%2Fvarlog%2Fsystem"


@dataclass(frozen=True)
class MonitoringArgs:
    job_name: pulumi.Input[str]
    emails: Sequence[str]
    log_retention_days: int


def job_filter(job_name: str) -> str:
    return f'resource.type="cloud_run_job" AND resource.labels.job_name="{job_name}"'


def failure_filter(project: str, job_name: str) -> str:
    """The system log's execution failure entries of this one job."""
    return (f'{job_filter(job_name)} AND logName="projects/{project}/logs/{SYSTEM_LOG}"'
            ' AND severity>=ERROR AND textPayload:"failed to complete"')


class Monitoring(pulumi.ComponentResource):
    """Log bucket + sink, failure metric, e-mail channels and the alert policy."""

    def __init__(self, name: str, args: MonitoringArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Monitoring", name, None, opts)
        project = scope.project
        bucket = gcp.logging.ProjectBucketConfig(
            "job-logs", project=project, location=scope.region,
            bucket_id=physical_name(names.LOG_BUCKET, "tricloud", scope.ctx.stack, "jobs"),
            retention_days=args.log_retention_days,
            description="Logs of the tricloud pipeline job", opts=scope.child(self))
        gcp.logging.ProjectSink(
            "job-logs", project=project, unique_writer_identity=True,
            destination=bucket.name.apply(lambda b: f"logging.googleapis.com/{b}"),
            filter=pulumi.Output.from_input(args.job_name).apply(
                job_filter),
            opts=scope.child(self))
        metric = gcp.logging.Metric(
            "job-failures", project=project,
            name=physical_name(names.LOG_BUCKET, "tricloud", scope.ctx.stack, "job-failures"),
            description="Failed executions of the tricloud pipeline job",
            filter=pulumi.Output.from_input(args.job_name).apply(
                lambda job: failure_filter(project, job)),
            metric_descriptor=gcp.logging.MetricMetricDescriptorArgs(
                metric_kind="DELTA", value_type="INT64", unit="1"),
            opts=scope.child(self))
        channels = [
            gcp.monitoring.NotificationChannel(
                f"email-{i}", type="email", display_name=f"tricloud alerts: {email}",
                labels={"email_address": email}, user_labels=scope.labels,
                opts=scope.child(self))
            for i, email in enumerate(args.emails)
        ]
        self.policy = gcp.monitoring.AlertPolicy(
            "job-failed", display_name=f"tricloud {scope.ctx.stack}: pipeline job failed",
            combiner="OR", severity="ERROR", user_labels=scope.labels,
            notification_channels=[c.name for c in channels],
            conditions=[gcp.monitoring.AlertPolicyConditionArgs(
                display_name="A pipeline execution failed",
                condition_threshold=gcp.monitoring.AlertPolicyConditionConditionThresholdArgs(
                    filter=metric.name.apply(
                        lambda m: f'metric.type="logging.googleapis.com/user/{m}" AND '
                                  'resource.type="cloud_run_job"'),
                    comparison="COMPARISON_GT", threshold_value=0, duration="0s",
                    aggregations=[gcp.monitoring.
                                  AlertPolicyConditionConditionThresholdAggregationArgs(
                                      alignment_period="300s", per_series_aligner="ALIGN_SUM")]),
            )],
            alert_strategy=gcp.monitoring.AlertPolicyAlertStrategyArgs(auto_close="86400s"),
            documentation=gcp.monitoring.AlertPolicyDocumentationArgs(
                mime_type="text/markdown",
                content="The tricloud pipeline job failed after its retries. Its logs are in "
                        "the job's log bucket; a rerun is safe (loads are exactly-once)."),
            opts=scope.child(self))
        self.register_outputs({"metric": metric.name, "policy": self.policy.name,
                               "log_bucket": bucket.name})
