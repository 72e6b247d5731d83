"""The pipeline image, built from ``pipeline/Dockerfile`` and pushed to a stack's registry.

Every cloud builds the same image the same way; only the registry address and how to log in to
it differ, so each cloud passes those and nothing else.
"""

from __future__ import annotations

import pulumi
import pulumi_docker_build as docker_build

# Relative to the project root, where Pulumi runs the program: an absolute path would make the
# plan differ between two checkouts of the same commit.
CONTEXT = "."
DOCKERFILE = "pipeline/Dockerfile"


def pipeline_image(
    name: str,
    *,
    repository: pulumi.Input[str],
    registry: pulumi.Input[str],
    username: pulumi.Input[str] | None,
    password: pulumi.Input[str] | None,
    opts: pulumi.ResourceOptions,
) -> docker_build.Image:
    """Build for linux/amd64 (what every cloud's serverless jobs run) and push one tag."""
    credentials = (
        [docker_build.RegistryArgs(address=registry, username=username, password=password)]
        if username is not None and password is not None
        else []
    )
    return docker_build.Image(
        name,
        context=docker_build.BuildContextArgs(location=CONTEXT),
        dockerfile=docker_build.DockerfileArgs(location=DOCKERFILE),
        platforms=[docker_build.Platform.LINUX_AMD64],
        push=True,
        tags=[pulumi.Output.concat(repository, ":latest")],
        registries=credentials,
        opts=opts,
    )
