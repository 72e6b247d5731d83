"""The pipeline as a Cloud Run v2 job on the VPC, and the Cloud Scheduler trigger that runs it.

All egress goes through the VPC (``ALL_TRAFFIC``): the warehouse's private IP, Google APIs via
Private Google Access, and the source database via Cloud NAT. Secret variables are references to
Secret Manager, resolved by Cloud Run at start, so no secret value is in the job definition.

The scheduler's service account may run this one job and nothing else (``roles/run.invoker``
on the job, not the project); Cloud Scheduler authenticates as it with an OAuth token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp.scope import Scope
from components.scope import renamed
from config.schema import PipelineConfig

run = gcp.cloudrunv2
INVOKER_ROLE = "roles/run.invoker"
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"


@dataclass(frozen=True)
class JobArgs:
    pipeline: PipelineConfig
    image: pulumi.Input[str]
    service_account: pulumi.Input[str]
    network: pulumi.Input[str]
    subnet: pulumi.Input[str]
    environment: Mapping[str, pulumi.Input[str]]
    secrets: Mapping[str, pulumi.Input[str]]  # variable -> Secret Manager secret id
    # IAM the job needs at deploy time (Cloud Run checks secret access when the job is created).
    grants: Sequence[pulumi.Resource]


def cpu_limit(cpu: float) -> str:
    return str(int(cpu)) if float(cpu).is_integer() else f"{int(cpu * 1000)}m"


def memory_limit(memory_gb: float) -> str:
    return f"{int(memory_gb * 1024)}Mi"


def container_env(args: JobArgs) -> list[run.JobTemplateTemplateContainerEnvArgs]:
    """Plain values first, then each secret variable as a reference to its latest version."""
    env = [run.JobTemplateTemplateContainerEnvArgs(name=k, value=v)
           for k, v in sorted(args.environment.items())]
    env += [
        run.JobTemplateTemplateContainerEnvArgs(
            name=k, value_source=run.JobTemplateTemplateContainerEnvValueSourceArgs(
                secret_key_ref=run.JobTemplateTemplateContainerEnvValueSourceSecretKeyRefArgs(
                    secret=secret, version="latest")))
        for k, secret in sorted(args.secrets.items())
    ]
    return env


class Job(pulumi.ComponentResource):
    """One Cloud Run job; ``job`` is exposed for the scheduler and its invoker binding."""

    job: run.Job

    def __init__(self, name: str, args: JobArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Job", name, None,
                         renamed(opts, "tricloud:gcp:PipelineJob"))
        p = args.pipeline
        self.job = run.Job(
            "pipeline", location=scope.region, labels=scope.labels,
            deletion_protection=scope.ctx.protect_data,
            template=run.JobTemplateArgs(
                task_count=1, parallelism=1, labels=scope.labels,
                template=run.JobTemplateTemplateArgs(
                    service_account=args.service_account,
                    timeout=f"{p.timeout_minutes * 60}s", max_retries=p.retries,
                    execution_environment="EXECUTION_ENVIRONMENT_GEN2",
                    vpc_access=run.JobTemplateTemplateVpcAccessArgs(
                        egress="ALL_TRAFFIC",
                        network_interfaces=[run.JobTemplateTemplateVpcAccessNetworkInterfaceArgs(
                            network=args.network, subnetwork=args.subnet)]),
                    containers=[run.JobTemplateTemplateContainerArgs(
                        image=args.image, envs=container_env(args),
                        resources=run.JobTemplateTemplateContainerResourcesArgs(limits={
                            "cpu": cpu_limit(p.cpu), "memory": memory_limit(p.memory_gb)}))])),
            opts=scope.child(self, depends_on=args.grants))
        self.register_outputs({"job": self.job.name, "id": self.job.id})


@dataclass(frozen=True)
class ScheduleArgs:
    cron: str
    job: gcp.cloudrunv2.Job
    scheduler: gcp.serviceaccount.Account


class Schedule(pulumi.ComponentResource):
    """The invoker binding on the job and the scheduler job that calls ``jobs.run``."""

    def __init__(self, name: str, args: ScheduleArgs, scope: Scope,
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
