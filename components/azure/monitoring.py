"""Failure alerting: a log alert on failed executions of the job, mailed to the stack's on-call.

Container Apps writes job execution events to the environment's Log Analytics workspace
(``ContainerAppSystemLogs_CL``); a failed execution (retries exhausted or timed out) raises the
alert once, and it resolves itself when executions succeed again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor

from components.azure.scope import Scope

# Reasons Container Apps logs when an execution ends without success.
FAILURE_REASONS = ("BackoffLimitExceeded", "DeadlineExceeded", "JobFailed")
EVALUATION = "PT15M"


def failed_executions_query(job_name: str) -> str:
    """KQL counting failed executions of one job; any row means at least one failure."""
    reasons = ", ".join(f'"{r}"' for r in FAILURE_REASONS)
    return (
        "ContainerAppSystemLogs_CL\n"
        f'| where JobName_s == "{job_name}"\n'
        f"| where Reason_s in ({reasons})\n"
        "| summarize failures = dcount(ExecutionName_s) by JobName_s"
    )


@dataclass(frozen=True)
class MonitoringArgs:
    workspace_id: pulumi.Input[str]
    job_name: pulumi.Input[str]


class Monitoring(pulumi.ComponentResource):
    """Action group with the stack's alert e-mails, and the scheduled query rule."""

    action_group_id: pulumi.Output[str]
    alert_id: pulumi.Output[str]

    def __init__(self, name: str, args: MonitoringArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:azure:Monitoring", name, None, opts)
        ctx = scope.ctx
        rg = scope.resource_group_name
        group = monitor.ActionGroup(
            "oncall", resource_group_name=rg, location="global", enabled=True,
            group_short_name=f"tc-{ctx.platform.environment.value}"[:12],
            email_receivers=[
                monitor.MicrosoftCommonEmailReceiverArgs(
                    name=f"email-{i}", email_address=email, use_common_alert_schema=True)
                for i, email in enumerate(ctx.platform.alerts.emails)],
            tags=scope.tags, opts=scope.child(self))
        alert = monitor.ScheduledQueryRule(
            "job-failed", resource_group_name=rg, location=scope.location, kind="LogAlert",
            display_name=f"tricloud {ctx.stack}: pipeline job failed",
            description="A run of the pipeline job failed after its retries or timed out.",
            severity=1 if ctx.is_prod else 2, enabled=True,
            scopes=[args.workspace_id], evaluation_frequency=EVALUATION, window_size=EVALUATION,
            criteria=monitor.ScheduledQueryRuleCriteriaArgs(all_of=[monitor.ConditionArgs(
                query=pulumi.Output.from_input(args.job_name).apply(failed_executions_query),
                time_aggregation="Total", metric_measure_column="failures",
                operator="GreaterThan", threshold=0,
                failing_periods=monitor.ConditionFailingPeriodsArgs(
                    number_of_evaluation_periods=1, min_failing_periods_to_alert=1))]),
            auto_mitigate=True,
            actions=monitor.ActionsArgs(action_groups=[group.id]),
            tags=scope.tags, opts=scope.child(self))
        self.action_group_id = group.id
        self.alert_id = alert.id
        self.register_outputs({"action_group_id": self.action_group_id,
                               "alert_id": self.alert_id})
