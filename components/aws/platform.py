"""The AWS platform: composes the AWS components and exports the platform contract.

One explicit provider (region and default tags set once) is handed down through ``providers``,
so every resource below inherits it and nothing can fall back to ambient AWS settings.
The order is the dependency order: key, network, data, observability, then what runs.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.aws import names
from components.aws.compute import Compute, ComputeArgs
from components.aws.database import Database, DatabaseArgs
from components.aws.iam import TaskRoles, TaskRolesArgs
from components.aws.keys import DataKey, DataKeyArgs
from components.aws.monitoring import Monitoring, MonitoringArgs
from components.aws.network import Network, NetworkArgs
from components.aws.registry import ImageRegistry, RegistryArgs
from components.aws.secrets import Secrets, SecretsArgs
from components.aws.storage import Storage, StorageArgs
from components.context import StackContext
from components.contract import PlatformOutputs, job_environment, secret_environment
from config.sizes import database_machine


class Platform(pulumi.ComponentResource):
    """Everything one AWS stack runs: one explicit provider, default tags on every resource."""

    outputs: PlatformOutputs

    def __init__(self, name: str, ctx: StackContext,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:Platform", name, None, opts)
        cfg, stack, protect = ctx.platform, ctx.stack, ctx.protect_data
        provider = aws.Provider(
            "aws", region=cfg.region,
            default_tags=aws.ProviderDefaultTagsArgs(tags=ctx.tags),
            opts=pulumi.ResourceOptions(parent=self))
        child = pulumi.ResourceOptions(parent=self, providers={"aws": provider})
        account_id = aws.get_caller_identity_output(
            opts=pulumi.InvokeOutputOptions(provider=provider)).account_id
        retention = cfg.monitoring.log_retention_days

        kms_key_arn = (DataKey("data-key", DataKeyArgs(stack=stack, protect=protect),
                               child).arn if ctx.is_prod else None)
        network = Network("network", NetworkArgs(
            stack=stack, region=cfg.region, cidr=cfg.network.cidr, zones=cfg.network.zones,
            nat=cfg.network.nat, account_id=account_id, flow_log_retention_days=retention),
            child)
        storage = Storage("storage", StorageArgs(
            stack=stack, account_id=account_id, kms_key_arn=kms_key_arn, protect=protect), child)
        secrets = Secrets("secrets", SecretsArgs(
            stack=stack, source_database_url=ctx.source_database_url, kms_key_arn=kms_key_arn),
            child)
        database = Database("database", DatabaseArgs(
            stack=stack, config=cfg.database,
            machine=database_machine(cfg.cloud, cfg.database.size),
            subnet_ids=network.private_subnet_ids,
            security_group_id=network.database_security_group_id, kms_key_arn=kms_key_arn,
            log_retention_days=retention, protect=protect), child)
        task_family = names.task_family(stack)
        monitoring = Monitoring("monitoring", MonitoringArgs(
            stack=stack, account_id=account_id, task_family=task_family,
            log_retention_days=retention, alert_emails=cfg.alerts.emails), child)
        registry = ImageRegistry("registry", RegistryArgs(
            stack=stack, kms_key_arn=kms_key_arn, protect=protect), child)
        secret_arns = [secrets.source_arn, database.password_secret_arn]
        roles = TaskRoles("roles", TaskRolesArgs(
            stack=stack, account_id=account_id, repository_arn=registry.repository.arn,
            log_group_arn=monitoring.log_group.arn, secret_arns=secret_arns,
            bucket_arns=storage.arns, kms_key_arn=kms_key_arn), child)

        raw, processed = storage.buckets["raw"].uri, storage.buckets["processed"].uri
        environment = job_environment(
            raw_storage_uri=raw, processed_storage_uri=processed,
            warehouse_host=database.address, warehouse_port=database.port,
            warehouse_database=database.database, warehouse_user=database.user,
            environment=cfg.environment.value)
        compute = Compute("compute", ComputeArgs(
            stack=stack, region=cfg.region, account_id=account_id, pipeline=cfg.pipeline,
            image_ref=registry.image_ref, environment=environment,
            secrets=secret_environment(
                source_url=secrets.source_arn,
                # ECS reads one JSON key of the RDS-managed secret: "<arn>:<key>:<stage>:<id>"
                warehouse_password=database.password_secret_arn.apply(
                    lambda arn: f"{arn}:password::")),
            execution_role_arn=roles.execution.arn, task_role_arn=roles.task.arn,
            log_group_name=monitoring.log_group.name, subnet_ids=network.private_subnet_ids,
            security_group_id=network.task_security_group_id,
            alert_topic_arn=monitoring.topic.arn), child)

        self.outputs = PlatformOutputs(
            raw_storage_uri=raw,
            processed_storage_uri=processed,
            warehouse_host=database.address,
            warehouse_port=database.port,
            warehouse_database=database.database,
            warehouse_user=database.user,
            warehouse_secret_ref=database.password_secret_arn,
            source_secret_ref=secrets.source_arn,
            job_name=compute.job_name,
            image_repository=registry.repository.repository_url,
            # The neutral five-field cron (same on every cloud), resolved once the schedule
            # exists, so the output never claims a schedule that was not created.
            schedule=compute.schedule.schedule_expression.apply(lambda _: cfg.pipeline.schedule),
        )
        self.register_outputs(self.outputs.as_dict())
