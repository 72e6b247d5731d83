"""The GCP platform: composes the GCP components and exports the platform contract.

Order follows the dependencies: APIs, network, storage, database, secrets (they hold the
database's generated password), identities (scoped to those buckets and secrets), image, job,
schedule and monitoring. Everything runs on one explicit provider carrying the default labels.
"""

from __future__ import annotations

import pulumi
import pulumi_docker_build as docker_build
import pulumi_gcp as gcp
import pulumi_random as random

from components.context import StackContext
from components.contract import JobData, PlatformOutputs, job_environment
from components.gcp.database import PORT, Database, DatabaseArgs
from components.gcp.iam import Identities, IdentitiesArgs
from components.gcp.image_registry import ImageRegistry, ImageRegistryArgs
from components.gcp.job import Job, JobArgs, Schedule, ScheduleArgs
from components.gcp.monitoring import Monitoring, MonitoringArgs
from components.gcp.network import Network, NetworkArgs
from components.gcp.scope import Scope
from components.gcp.secrets import (
    SOURCE_URL,
    WAREHOUSE_PASSWORD,
    Secrets,
    SecretsArgs,
)
from components.gcp.services import ProjectServices, ProjectServicesArgs
from components.gcp.storage import Storage, StorageArgs
from components.tags import as_gcp_labels


class Platform(pulumi.ComponentResource):
    """Everything one GCP stack runs, in the project and region of its config."""

    outputs: PlatformOutputs

    def __init__(self, name: str, ctx: StackContext,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Platform", name, None, opts)
        cfg = ctx.platform
        if cfg.gcp is None:  # the schema guarantees it; this narrows the type
            raise ValueError("a GCP stack needs gcp.project")
        labels = as_gcp_labels(ctx.tags)
        provider = gcp.Provider(
            "gcp", project=cfg.gcp.project, region=cfg.region, default_labels=labels,
            opts=pulumi.ResourceOptions(parent=self))
        mine = pulumi.ResourceOptions(parent=self)
        base = Scope(ctx=ctx, provider=provider, project=cfg.gcp.project,
                      region=cfg.region, labels=labels,
                      random_provider=random.Provider("random", opts=mine),
                      image_provider=docker_build.Provider("docker-build", opts=mine))
        services = ProjectServices("services", ProjectServicesArgs(), base, opts=mine)
        scope = base.with_after(*services.services)

        network = Network("network", NetworkArgs(cidr=cfg.network.cidr, nat=cfg.network.nat),
                          scope, opts=mine)
        storage = Storage("storage", StorageArgs(
            customer_managed_key=ctx.is_prod, retention=cfg.storage,
            log_retention_days=cfg.monitoring.log_retention_days), scope, opts=mine)
        database = Database("database", DatabaseArgs(
            config=cfg.database, network_id=network.network.id,
            private_services=network.private_services), scope, opts=mine)
        secrets = Secrets("secrets", SecretsArgs(
            source_database_url=ctx.source_database_url,
            warehouse_password=database.password), scope, opts=mine)
        identities = Identities("identities", IdentitiesArgs(
            buckets=storage.buckets, secrets=secrets.secrets), scope, opts=mine)
        images = ImageRegistry("images", ImageRegistryArgs(
            keep_images=cfg.images.keep, kms_key=storage.key.key if storage.key else None),
            scope, opts=mine)

        data = JobData(
            raw_storage_uri=storage.uris["raw"], processed_storage_uri=storage.uris["processed"],
            warehouse_host=database.host, warehouse_port=PORT,
            warehouse_database=database.database, warehouse_user=database.user,
            warehouse_secret_ref=secrets.secrets[WAREHOUSE_PASSWORD].id,
            source_secret_ref=secrets.secrets[SOURCE_URL].id, environment=cfg.environment.value,
            memory_mb=cfg.pipeline.memory_mb, source_kind=cfg.pipeline.source.value)
        environment = job_environment(cfg.cloud.value, data)
        job = Job("job", JobArgs(
            pipeline=cfg.pipeline, image=images.image_ref,
            service_account=identities.job.email,
            network=network.network.id, subnet=network.subnet.id,
            environment=environment.plain, secrets=environment.secrets,
            grants=identities.grants), scope, opts=mine)
        schedule = Schedule("schedule", ScheduleArgs(
            cron=cfg.pipeline.schedule, job=job.job, scheduler=identities.scheduler),
            scope, opts=mine)
        Monitoring("monitoring", MonitoringArgs(
            job_name=job.job.name, emails=cfg.alerts.emails,
            log_retention_days=cfg.monitoring.log_retention_days), scope, opts=mine)

        self.outputs = PlatformOutputs(
            data, job_name=job.job.name, image_repository=images.repository,
            schedule=schedule.trigger.schedule)
        self.register_outputs(self.outputs.as_dict())
