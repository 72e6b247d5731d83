"""The Azure platform: one resource group, the concerns composed in dependency order, the contract.

Order matters only through outputs: network -> storage and database -> secrets (the vault holds
the database password) -> registry -> identity (scoped to containers, vault and registry) ->
compute (waits for the identity's grants) -> monitoring (watches the job).
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_azure_native as azure_native
import pulumi_docker_build as docker_build
import pulumi_random as random
from pulumi_azure_native import authorization, resources

from components.azure.database import Database, DatabaseArgs
from components.azure.iam import Identities, IdentitiesArgs
from components.azure.image_registry import ImageRegistry, ImageRegistryArgs
from components.azure.job import Job, JobArgs
from components.azure.monitoring import Monitoring, MonitoringArgs
from components.azure.network import Network, NetworkArgs
from components.azure.scope import Scope
from components.azure.secrets import Secrets, SecretsArgs, vault_secret_name
from components.azure.storage import Storage, StorageArgs
from components.context import StackContext
from components.contract import (
    PlatformOutputs,
    identity_environment,
    job_environment,
    secret_environment,
)


class Platform(pulumi.ComponentResource):
    """Everything one Azure stack runs, under one explicit provider and one resource group."""

    outputs: PlatformOutputs

    def __init__(self, name: str, ctx: StackContext,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:azure:Platform", name, None, opts)
        provider = azure_native.Provider(
            "azure-native", location=ctx.platform.region,
            opts=pulumi.ResourceOptions(parent=self))
        client = authorization.get_client_config_output(
            opts=pulumi.InvokeOutputOptions(parent=self, provider=provider))
        group = resources.ResourceGroup(
            f"tricloud-{ctx.stack}", location=ctx.platform.region, tags=ctx.tags,
            opts=pulumi.ResourceOptions(parent=self, provider=provider))
        own = pulumi.ResourceOptions(parent=self)
        scope = Scope(ctx=ctx, provider=provider, resource_group_name=group.name,
                      location=ctx.platform.region,
                      subscription_id=client.subscription_id, tenant_id=client.tenant_id,
                      random_provider=random.Provider("random", opts=own),
                      image_provider=docker_build.Provider("docker-build", opts=own))
        child = pulumi.ResourceOptions(parent=self)

        net = Network("network", NetworkArgs(
            ctx.platform.network.cidr, ctx.platform.network.nat), scope, child)
        lake = Storage("storage", StorageArgs(ctx.platform.storage, net.apps_subnet_id), scope,
                       child)
        db = Database("database", DatabaseArgs(
            net.database_subnet_id, net.postgres_dns_zone_id), scope, child)
        values = secret_environment(source_url=ctx.source_database_url,
                                    warehouse_password=db.password)
        vault = Secrets("secrets", SecretsArgs(
            net.apps_subnet_id,
            {vault_secret_name(k): v for k, v in values.items()}), scope, child)
        secret_uris: Mapping[str, pulumi.Output[str]] = {
            k: vault.secret_uris[vault_secret_name(k)] for k in values}
        registry = ImageRegistry("registry", ImageRegistryArgs(
            keep_images=ctx.platform.images.keep), scope, child)
        identity = Identities("identity", IdentitiesArgs(
            lake.container_ids, vault.vault_id, registry.registry_id), scope, child)
        environment = {**job_environment(
            raw_storage_uri=lake.uris["raw"], processed_storage_uri=lake.uris["processed"],
            warehouse_host=db.host, warehouse_port=db.port, warehouse_database=db.database,
            warehouse_user=db.user, environment=ctx.platform.environment.value),
            **identity_environment("azure", AZURE_CLIENT_ID=identity.client_id)}
        compute = Job("compute", JobArgs(
            subnet_id=net.apps_subnet_id, identity_id=identity.id,
            login_server=registry.login_server, image=registry.image_ref,
            environment=environment, secrets=secret_uris, grants=identity.grants), scope, child)
        Monitoring("monitoring", MonitoringArgs(compute.workspace_id, compute.job_name),
                   scope, child)

        self.outputs = PlatformOutputs(
            raw_storage_uri=lake.uris["raw"],
            processed_storage_uri=lake.uris["processed"],
            warehouse_host=db.host,
            warehouse_port=db.port,
            warehouse_database=db.database,
            warehouse_user=db.user,
            warehouse_secret_ref=secret_uris["TRICLOUD_WAREHOUSE_PASSWORD"],
            source_secret_ref=secret_uris["TRICLOUD_SOURCE_URL"],
            job_name=compute.job_name,
            image_repository=registry.repository,
            schedule=pulumi.Output.from_input(ctx.platform.pipeline.schedule),
        )
        self.register_outputs(self.outputs.as_dict())
