"""The Azure platform: one resource group, the concerns composed in dependency order, the contract.

Order matters only through outputs: network -> storage and database -> secrets (the vault holds
the database password) -> registry -> identity (scoped to containers, vault and registry) ->
compute (waits for the identity's grants) -> monitoring (watches the job).
"""

from __future__ import annotations

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
from components.contract import JobData, PlatformOutputs, job_environment, secret_variables


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
            ctx.platform.network.cidr, ctx.platform.network.nat,
            private_endpoints=ctx.is_prod), scope, child)
        lake = Storage("storage", StorageArgs(
            ctx.platform.storage, net.apps_subnet_id, net.private_link), scope, child)
        db = Database("database", DatabaseArgs(
            net.database_subnet_id, net.postgres_dns_zone_id), scope, child)
        # The vault holds one secret per secret variable of the contract, named after it.
        secret_values = {"source_secret_ref": ctx.source_database_url,
                         "warehouse_secret_ref": db.password}
        vault_names = {v.output: vault_secret_name(v.name) for v in secret_variables("azure")}
        vault = Secrets("secrets", SecretsArgs(
            net.apps_subnet_id,
            {name: secret_values[output] for output, name in vault_names.items()},
            net.private_link), scope, child)
        registry = ImageRegistry("registry", ImageRegistryArgs(
            keep_images=ctx.platform.images.keep, private_link=net.private_link), scope, child)
        identity = Identities("identity", IdentitiesArgs(
            lake.container_ids, vault.vault_id, registry.registry_id), scope, child)
        data = JobData(
            raw_storage_uri=lake.uris["raw"], processed_storage_uri=lake.uris["processed"],
            warehouse_host=db.host, warehouse_port=db.port, warehouse_database=db.database,
            warehouse_user=db.user,
            warehouse_secret_ref=vault.secret_uris[vault_names["warehouse_secret_ref"]],
            source_secret_ref=vault.secret_uris[vault_names["source_secret_ref"]],
            environment=ctx.platform.environment.value, identity_client_id=identity.client_id,
            memory_mb=ctx.platform.pipeline.memory_mb,
            source_kind=ctx.platform.pipeline.source.value)
        environment = job_environment(ctx.platform.cloud.value, data)
        compute = Job("compute", JobArgs(
            subnet_id=net.apps_subnet_id, identity_id=identity.id,
            login_server=registry.login_server, image=registry.image_ref,
            environment=environment.plain, secrets=environment.secrets, grants=identity.grants),
            scope, child)
        Monitoring("monitoring", MonitoringArgs(compute.workspace_id, compute.job_name),
                   scope, child)

        self.outputs = PlatformOutputs(
            data, job_name=compute.job_name, image_repository=registry.repository,
            schedule=ctx.platform.pipeline.schedule)
        self.register_outputs(self.outputs.as_dict())
