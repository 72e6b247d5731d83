"""Where the pipeline runs: Log Analytics, a VNet-injected Container Apps environment, the job.

The job is a scheduled Container Apps job on the stack's cron. It pulls its image and reads its
secrets as Key Vault references with its own managed identity, so the job definition contains
no secret value and no registry password. Its environment is exactly the platform contract.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import app, operationalinsights

from components.azure.scope import Scope
from components.azure.secrets import vault_secret_name
from components.scope import renamed

JOB_NAME = "tricloud-pipeline"
CONTAINER = "pipeline"
WORKLOAD_PROFILE = "Consumption"


@dataclass(frozen=True)
class JobArgs:
    subnet_id: pulumi.Input[str]
    identity_id: pulumi.Input[str]
    login_server: pulumi.Input[str]
    image: pulumi.Input[str]
    environment: Mapping[str, pulumi.Input[str]]
    # Env var name -> versionless Key Vault secret URI.
    secrets: Mapping[str, pulumi.Input[str]]
    # Role assignments the job needs before it can pull its image or resolve its secrets.
    grants: Sequence[pulumi.Resource]


class Job(pulumi.ComponentResource):
    """Log Analytics workspace, managed environment in the apps subnet, scheduled job."""

    workspace_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    job_name: pulumi.Output[str]
    job_id: pulumi.Output[str]

    def __init__(self, name: str, args: JobArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:azure:Job", name, None,
                         renamed(opts, "tricloud:azure:Compute"))
        platform = scope.ctx.platform
        rg = scope.resource_group_name

        workspace = operationalinsights.Workspace(
            "logs", resource_group_name=rg, location=scope.location,
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=platform.monitoring.log_retention_days,
            tags=scope.tags, opts=scope.child(self))
        keys = operationalinsights.get_shared_keys_output(
            resource_group_name=rg, workspace_name=workspace.name,
            opts=scope.invoke(self))
        environment = app.ManagedEnvironment(
            "apps", resource_group_name=rg, location=scope.location,
            vnet_configuration=app.VnetConfigurationArgs(
                infrastructure_subnet_id=args.subnet_id, internal=True),
            workload_profiles=[app.WorkloadProfileArgs(
                name=WORKLOAD_PROFILE, workload_profile_type=WORKLOAD_PROFILE)],
            app_logs_configuration=app.AppLogsConfigurationArgs(
                destination="log-analytics",
                log_analytics_configuration=app.LogAnalyticsConfigurationArgs(
                    customer_id=workspace.customer_id,
                    shared_key=pulumi.Output.secret(keys.primary_shared_key))),
            zone_redundant=scope.ctx.is_prod,
            tags=scope.tags, opts=scope.child(self))
        pipeline = platform.pipeline
        env = [app.EnvironmentVarArgs(name=k, value=v) for k, v in args.environment.items()]
        env += [app.EnvironmentVarArgs(name=k, secret_ref=vault_secret_name(k))
                for k in args.secrets]
        job = app.Job(
            "pipeline", resource_group_name=rg, location=scope.location, job_name=JOB_NAME,
            environment_id=environment.id, workload_profile_name=WORKLOAD_PROFILE,
            identity=app.ManagedServiceIdentityArgs(
                type="UserAssigned", user_assigned_identities=[args.identity_id]),
            configuration=app.JobConfigurationArgs(
                trigger_type="Schedule",
                schedule_trigger_config=app.JobConfigurationScheduleTriggerConfigArgs(
                    cron_expression=pipeline.schedule, parallelism=1,
                    replica_completion_count=1),
                replica_timeout=pipeline.timeout_minutes * 60,
                replica_retry_limit=pipeline.retries,
                registries=[app.RegistryCredentialsArgs(
                    server=args.login_server, identity=args.identity_id)],
                secrets=[app.SecretArgs(name=vault_secret_name(k), key_vault_url=uri,
                                        identity=args.identity_id)
                         for k, uri in args.secrets.items()]),
            template=app.JobTemplateArgs(containers=[app.ContainerArgs(
                name=CONTAINER, image=args.image,
                resources=app.ContainerResourcesArgs(
                    cpu=pipeline.cpu, memory=f"{pipeline.memory_gb:g}Gi"),
                env=env)]),
            tags=scope.tags, opts=scope.child(self, depends_on=list(args.grants)))

        self.workspace_id = workspace.id
        self.environment_id = environment.id
        self.job_name = job.name
        self.job_id = job.id
        self.register_outputs({"workspace_id": self.workspace_id,
                               "environment_id": self.environment_id,
                               "job_name": self.job_name, "job_id": self.job_id})
