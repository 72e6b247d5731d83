"""The AWS platform: composes the AWS components and exports the platform contract.

One explicit provider (region and default tags set once) is handed down in the ``Scope``, so
every resource below is created with it and nothing can fall back to ambient AWS settings.
The order is the dependency order: key, network, data, observability, then what runs.
"""

from __future__ import annotations

import dataclasses

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.database import Database, DatabaseArgs
from components.aws.iam import Identities, IdentitiesArgs
from components.aws.image_registry import ImageRegistry, ImageRegistryArgs
from components.aws.job import Job, JobArgs
from components.aws.keys import DataKey, DataKeyArgs
from components.aws.monitoring import Monitoring, MonitoringArgs
from components.aws.network import Network, NetworkArgs
from components.aws.scope import Scope
from components.aws.secrets import Secrets, SecretsArgs
from components.aws.storage import Storage, StorageArgs
from components.context import StackContext
from components.contract import JobData, PlatformOutputs, job_environment


class Platform(pulumi.ComponentResource):
    """Everything one AWS stack runs: one explicit provider, default tags on every resource."""

    outputs: PlatformOutputs

    def __init__(self, name: str, ctx: StackContext,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Platform", name, None, opts)
        cfg = ctx.platform
        provider = aws.Provider(
            "aws", region=cfg.region,
            default_tags=aws.ProviderDefaultTagsArgs(tags=ctx.tags),
            opts=pulumi.ResourceOptions(parent=self))
        mine = pulumi.ResourceOptions(parent=self)
        account_id = aws.get_caller_identity_output(
            opts=pulumi.InvokeOutputOptions(provider=provider)).account_id
        scope = Scope(ctx=ctx, provider=provider, region=cfg.region, account_id=account_id)
        retention = cfg.monitoring.log_retention_days

        if ctx.is_prod:
            key = DataKey("data-key", DataKeyArgs(purpose="data"), scope, mine)
            scope = dataclasses.replace(scope, kms_key_arn=key.arn)
        network = Network("network", NetworkArgs(
            cidr=cfg.network.cidr, zones=cfg.network.zones, nat=cfg.network.nat,
            flow_log_retention_days=retention), scope, mine)
        storage = Storage("storage", StorageArgs(retention=cfg.storage, access_log_days=retention),
                          scope, mine)
        secrets = Secrets("secrets", SecretsArgs(source_database_url=ctx.source_database_url),
                          scope, mine)
        database = Database("database", DatabaseArgs(
            config=cfg.database,
            subnet_ids=network.private_subnet_ids,
            security_group_id=network.database_security_group_id,
            log_retention_days=retention), scope, mine)
        task_family = names.task_family(ctx.stack)
        monitoring = Monitoring("monitoring", MonitoringArgs(
            task_family=task_family, log_retention_days=retention,
            alert_emails=cfg.alerts.emails), scope, mine)
        registry = ImageRegistry("registry", ImageRegistryArgs(keep_images=cfg.images.keep),
                                 scope, mine)
        secret_arns = [secrets.source_arn, database.password_secret_arn]
        roles = Identities("roles", IdentitiesArgs(
            repository_arn=registry.repository.arn, log_group_arn=monitoring.log_group.arn,
            secret_arns=secret_arns, bucket_arns=storage.arns), scope, mine)

        data = JobData(
            raw_storage_uri=storage.buckets["raw"].uri,
            processed_storage_uri=storage.buckets["processed"].uri,
            warehouse_host=database.address, warehouse_port=database.port,
            warehouse_database=database.database, warehouse_user=database.user,
            warehouse_secret_ref=database.password_secret_arn,
            source_secret_ref=secrets.source_arn, environment=cfg.environment.value,
            memory_mb=cfg.pipeline.memory_mb, source_kind=cfg.pipeline.source.value)
        environment = job_environment(cfg.cloud.value, data, secret_refs={
            # ECS reads one JSON key of the RDS-managed secret: "<arn>:<key>:<stage>:<id>"
            "warehouse_secret_ref": database.password_secret_arn.apply(
                lambda arn: f"{arn}:password::")})
        compute = Job("compute", JobArgs(
            pipeline=cfg.pipeline, image_ref=registry.image_ref,
            environment=environment.plain, secrets=environment.secrets,
            execution_role_arn=roles.execution.arn, task_role_arn=roles.task.arn,
            log_group_name=monitoring.log_group.name, subnet_ids=network.private_subnet_ids,
            security_group_id=network.task_security_group_id,
            alert_topic_arn=monitoring.topic.arn), scope, mine)

        self.outputs = PlatformOutputs(
            data, job_name=compute.job_name,
            image_repository=registry.repository.repository_url,
            # The neutral five-field cron (same on every cloud), resolved once the schedule
            # exists, so the output never claims a schedule that was not created.
            schedule=compute.schedule.schedule_expression.apply(lambda _: cfg.pipeline.schedule))
        self.register_outputs(self.outputs.as_dict())
