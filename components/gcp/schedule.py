"""Cloud Scheduler starts the job on the stack's cron through the Cloud Run Admin API.

The scheduler's service account may run this one job and nothing else (``roles/run.invoker``
on the job, not the project); Cloud Scheduler authenticates as it with an OAuth token.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp.scope import GcpScope

INVOKER_ROLE = "roles/run.invoker"
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"


@dataclass(frozen=True)
class ScheduleArgs:
    cron: str
    job: gcp.cloudrunv2.Job
    scheduler: gcp.serviceaccount.Account


class Schedule(pulumi.ComponentResource):
    """The invoker binding on the job and the scheduler job that calls ``jobs.run``."""

    def __init__(self, name: str, args: ScheduleArgs, scope: GcpScope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Schedule", name, None, opts)
        binding = gcp.cloudrunv2.JobIamMember(
            "scheduler-invoker", name=args.job.name, location=args.job.location,
            project=scope.project, role=INVOKER_ROLE, member=args.scheduler.member,
            opts=scope.child(self))
        self.trigger = gcp.cloudscheduler.Job(
            "pipeline", region=scope.region, schedule=args.cron, time_zone="Etc/UTC",
            description="Runs the tricloud pipeline job",
            attempt_deadline="180s",
            retry_config=gcp.cloudscheduler.JobRetryConfigArgs(retry_count=1),
            http_target=gcp.cloudscheduler.JobHttpTargetArgs(
                http_method="POST",
                uri=args.job.id.apply(lambda jid: f"https://run.googleapis.com/v2/{jid}:run"),
                oauth_token=gcp.cloudscheduler.JobHttpTargetOauthTokenArgs(
                    service_account_email=args.scheduler.email, scope=CLOUD_PLATFORM_SCOPE)),
            opts=scope.child(self, depends_on=[binding]))
        self.register_outputs({"schedule": self.trigger.schedule, "trigger": self.trigger.name})
