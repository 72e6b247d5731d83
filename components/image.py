"""The pipeline image, built from ``pipeline/Dockerfile`` and pushed to a stack's registry.

Every cloud builds the same image the same way; only the registry address and how to log in to
it differ, so each cloud passes those and nothing else.

The image is pushed under one tag derived from the bytes of its build inputs, never ``latest``:
the same source always gives the same tag, a changed source a new one, so registries can make
every tag immutable and a deploy can never silently replace the image a running job uses.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pulumi
import pulumi_docker_build as docker_build

# Relative to the project root, where Pulumi runs the program: an absolute path would make the
# plan differ between two checkouts of the same commit.
CONTEXT = "."
DOCKERFILE = "pipeline/Dockerfile"
# What the Dockerfile copies (kept equal to .dockerignore's allow-list by a test).
BUILD_INPUTS: tuple[str, ...] = ("pyproject.toml", "README.md", "pipeline")
TAG_PREFIX = "src-"


def source_tag(root: Path = Path(CONTEXT)) -> str:
    """A tag naming the build inputs' content: paths and bytes, in a fixed order.

    Caches (``__pycache__``, ``*.pyc``) are skipped because ``.dockerignore`` leaves them out.
    """
    digest = hashlib.sha256()
    for name in BUILD_INPUTS:
        top = root / name
        files = [top] if top.is_file() else sorted(
            p for p in top.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return TAG_PREFIX + digest.hexdigest()[:16]


def pipeline_image(
    name: str,
    *,
    repository: pulumi.Input[str],
    registry: pulumi.Input[str],
    username: pulumi.Input[str] | None,
    password: pulumi.Input[str] | None,
    opts: pulumi.ResourceOptions,
) -> docker_build.Image:
    """Build for linux/amd64 (what every cloud's serverless jobs run) and push one tag.

    The registry password is wrapped as a secret here, whatever the caller passed: a token
    from a data source (ECR's authorization token) is a plain Output, and the build inputs are
    stored in the state, where it would otherwise sit in clear text.
    """
    credentials = (
        [docker_build.RegistryArgs(address=registry, username=username,
                                   password=pulumi.Output.secret(password))]
        if username is not None and password is not None
        else []
    )
    return docker_build.Image(
        name,
        context=docker_build.BuildContextArgs(location=CONTEXT),
        dockerfile=docker_build.DockerfileArgs(location=DOCKERFILE),
        platforms=[docker_build.Platform.LINUX_AMD64],
        push=True,
        tags=[pulumi.Output.concat(repository, ":", source_tag())],
        registries=credentials,
        opts=opts,
    )
