"""Monitoring: failed executions are counted, alerted by e-mail, and logs kept per config."""

from __future__ import annotations

from tests.infra.support_gcp import by_name, platform_of

CLOUD = "gcp"


def test_failure_metric_counts_this_jobs_failed_executions(plan):
    metric = plan.one("gcp:logging/metric:Metric").inputs
    job = plan.one("gcp:cloudrunv2/job:Job").name
    assert 'resource.type="cloud_run_job"' in metric["filter"]
    assert f'resource.labels.job_name="{job}"' in metric["filter"]
    assert "severity>=ERROR" in metric["filter"]
    assert metric["metricDescriptor"] == {"metricKind": "DELTA", "unit": "1", "valueType": "INT64"}


def test_one_email_channel_per_alert_address(plan):
    channels = plan.of_type("gcp:monitoring/notificationChannel:NotificationChannel")
    emails = platform_of(plan.stack).alerts.emails
    assert sorted(c.inputs["labels"]["email_address"] for c in channels) == sorted(emails)
    assert all(c.inputs["type"] == "email" for c in channels)


def test_alert_policy_fires_on_the_metric_to_every_channel(plan):
    policy = plan.one("gcp:monitoring/alertPolicy:AlertPolicy").inputs
    metric = plan.one("gcp:logging/metric:Metric").inputs["name"]
    (condition,) = policy["conditions"]
    threshold = condition["conditionThreshold"]
    assert f'metric.type="logging.googleapis.com/user/{metric}"' in threshold["filter"]
    assert threshold["comparison"] == "COMPARISON_GT" and threshold["thresholdValue"] == 0
    channels = plan.of_type("gcp:monitoring/notificationChannel:NotificationChannel")
    assert len(policy["notificationChannels"]) == len(channels) > 0
    assert policy.get("enabled", True) is True


def test_job_logs_are_kept_for_the_configured_days(plan):
    bucket = by_name(plan, "gcp:logging/projectBucketConfig:ProjectBucketConfig",
                     "job-logs").inputs
    assert bucket["retentionDays"] == platform_of(plan.stack).monitoring.log_retention_days
    assert bucket["location"] == platform_of(plan.stack).region
    sink = by_name(plan, "gcp:logging/projectSink:ProjectSink", "job-logs").inputs
    assert sink["destination"].endswith(f"/buckets/{bucket['bucketId']}")
    job = plan.one("gcp:cloudrunv2/job:Job").name
    assert f'resource.labels.job_name="{job}"' in sink["filter"]
