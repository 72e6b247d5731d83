"""The image registry (ACR) and the pipeline image built from ``pipeline/`` and pushed to it.

The admin user and anonymous pull are off: the job pulls with its managed identity (AcrPull),
and the push authenticates as the deployer (``az acr login`` puts an Entra token in the local
Docker credential store), so no registry password exists anywhere.

ACR has no keep-the-newest-N policy of its own, so a scheduled ACR task runs ``acr purge`` (the
registry's documented way) once a day: every image of the pipeline's repository but the newest
``images.keep`` is deleted, and so are untagged manifests.

With a private link (prod) public network access is off and the registry is reached only through
its private endpoint, which needs the Premium SKU (Basic and Standard have no private link);
trusted Azure services keep the firewall bypass. The image push then has to run from a machine
that resolves ``privatelink.azurecr.io`` inside the VNet (a runner in it or a peered network).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerregistry

from components.azure import names
from components.azure.network import PrivateLink, private_endpoint
from components.azure.scope import Scope
from components.image import pipeline_image
from components.naming import physical_name
from components.scope import renamed

REPOSITORY = "tricloud-pipeline"
PURGE_SCHEDULE = "0 3 * * *"  # daily, 03:00 UTC
PURGE_TIMEOUT_SECONDS = 3600


@dataclass(frozen=True)
class ImageRegistryArgs:
    keep_images: int  # the newest images always kept
    repository: str = REPOSITORY  # the image's path under the login server
    private_link: PrivateLink | None = None  # set: Premium SKU and no public network access


def registry_sku(prod: bool, private: bool) -> str:
    """Premium when the registry needs a private endpoint; Standard in prod; Basic in dev."""
    if private:
        return "Premium"
    return "Standard" if prod else "Basic"


def purge_task(repository: str, keep_images: int) -> str:
    """The ACR task definition (YAML) that keeps the newest ``keep_images`` of ``repository``."""
    return (
        "version: v1.1.0\n"
        "steps:\n"
        f"  - cmd: acr purge --filter '{repository}:.*' --keep {keep_images} --ago 0d --untagged\n"
        "    disableWorkingDirectoryOverride: true\n"
        f"    timeout: {PURGE_TIMEOUT_SECONDS}\n"
    )


class ImageRegistry(pulumi.ComponentResource):
    """ACR plus the shared pipeline image pushed to ``<login server>/tricloud-pipeline``."""

    registry_id: pulumi.Output[str]
    login_server: pulumi.Output[str]
    repository: pulumi.Output[str]
    image_ref: pulumi.Output[str]

    def __init__(self, name: str, args: ImageRegistryArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:azure:ImageRegistry", name, None,
                         renamed(opts, "tricloud:azure:Registry"))
        ctx = scope.ctx
        registry = containerregistry.Registry(
            "registry", resource_group_name=scope.resource_group_name, location=scope.location,
            registry_name=physical_name(names.CONTAINER_REGISTRY, "tricloud", ctx.stack,
                                        unique_for=ctx.stack),
            sku=containerregistry.SkuArgs(
                name=registry_sku(ctx.is_prod, args.private_link is not None)),
            admin_user_enabled=False, anonymous_pull_enabled=False,
            public_network_access="Disabled" if args.private_link else "Enabled",
            network_rule_bypass_options="AzureServices",
            tags=scope.tags, opts=scope.child(self))
        if args.private_link:
            private_endpoint("registry", registry.id, ("registry",), args.private_link, scope,
                             self)
        containerregistry.Task(
            "purge-images", resource_group_name=scope.resource_group_name,
            location=scope.location, registry_name=registry.name, status="Enabled",
            platform=containerregistry.PlatformPropertiesArgs(os="Linux"),
            step=containerregistry.EncodedTaskStepArgs(
                type="EncodedTask", encoded_task_content=base64.b64encode(
                    purge_task(args.repository, args.keep_images).encode()).decode()),
            trigger=containerregistry.TriggerPropertiesArgs(timer_triggers=[
                containerregistry.TimerTriggerArgs(
                    name="daily", schedule=PURGE_SCHEDULE, status="Enabled")]),
            timeout=PURGE_TIMEOUT_SECONDS, tags=scope.tags, opts=scope.child(self))
        repository = registry.login_server.apply(lambda server: f"{server}/{args.repository}")
        image = pipeline_image(
            "pipeline-image", repository=repository, registry=registry.login_server,
            username=None, password=None,
            opts=pulumi.ResourceOptions(parent=self, provider=scope.image_provider))

        self.registry_id = registry.id
        self.login_server = registry.login_server
        self.repository = repository
        # Pin the job to the pushed digest so a new build is a visible diff and a new revision.
        self.image_ref = image.ref
        self.register_outputs({"registry_id": self.registry_id,
                               "login_server": self.login_server,
                               "repository": self.repository, "image_ref": self.image_ref})
