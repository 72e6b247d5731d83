"""Azure monitoring: a log alert on failed job executions, mailed to the stack's on-call."""

from __future__ import annotations

from tests.infra.support_azure import AZ, arm_id, platform_of

CLOUD = "azure"


def test_action_group_mails_the_stacks_alert_emails(plan):
    group = plan.one(f"{AZ}:monitor:ActionGroup").inputs
    assert group["enabled"] is True
    assert len(group["groupShortName"]) <= 12
    emails = platform_of(plan.stack).alerts.emails
    assert [r["emailAddress"] for r in group["emailReceivers"]] == emails


def test_failed_executions_alert_watches_the_job_and_notifies_the_group(plan):
    rule = plan.one(f"{AZ}:monitor:ScheduledQueryRule").inputs
    job_name = plan.one(f"{AZ}:app:Job").inputs["jobName"]
    assert rule["enabled"] is True and rule["kind"] == "LogAlert"
    assert rule["scopes"] == [arm_id(plan, f"{AZ}:operationalinsights:Workspace")]
    assert rule["actions"]["actionGroups"] == [arm_id(plan, f"{AZ}:monitor:ActionGroup")]
    condition = rule["criteria"]["allOf"][0]
    assert f'JobName_s == "{job_name}"' in condition["query"]
    assert condition["operator"] == "GreaterThan" and condition["threshold"] == 0
