"""ECR: the pipeline's image repository, and the image built from ``pipeline/`` pushed to it.

Every tag is immutable (the shared image builder tags by source content, never ``latest``), and
the task definition pins the pushed *digest*, so what runs is exactly what was built and scanned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_docker_build as docker_build

from components.aws import names
from components.aws.scope import Scope
from components.image import pipeline_image

UNTAGGED_DAYS = 14


@dataclass(frozen=True)
class ImageRegistryArgs:
    keep_images: int  # the newest images always kept


def lifecycle_policy(keep_images: int) -> str:
    """Untagged layers go after two weeks; at most the newest ``keep_images`` are kept."""
    return json.dumps({"rules": [
        {"rulePriority": 1, "description": f"expire untagged images after {UNTAGGED_DAYS} days",
         "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                       "countUnit": "days", "countNumber": UNTAGGED_DAYS},
         "action": {"type": "expire"}},
        {"rulePriority": 2, "description": f"keep the newest {keep_images} images",
         "selection": {"tagStatus": "any", "countType": "imageCountMoreThan",
                       "countNumber": keep_images},
         "action": {"type": "expire"}},
    ]})


class ImageRegistry(pulumi.ComponentResource):
    """The repository (scan on push, immutable tags, lifecycle) and the pushed pipeline image."""

    def __init__(self, name: str, args: ImageRegistryArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:aws:ImageRegistry", name, None, opts)
        child = scope.child(self)
        encryption = ({"encryption_type": "KMS", "kms_key": scope.kms_key_arn}
                      if scope.kms_key_arn is not None else {"encryption_type": "AES256"})
        self.repository = aws.ecr.Repository(
            "pipeline", name=names.stack_name(scope.stack, "pipeline"),
            image_tag_mutability="IMMUTABLE",
            image_scanning_configuration={"scan_on_push": True},
            encryption_configurations=[encryption],
            force_delete=not scope.ctx.protect_data, opts=child)
        aws.ecr.LifecyclePolicy("pipeline", repository=self.repository.name,
                                policy=lifecycle_policy(args.keep_images), opts=child)

        token = aws.ecr.get_authorization_token_output(
            registry_id=self.repository.registry_id,
            opts=scope.invoke(self))
        # An explicit builder provider too: nothing in the stack may use an ambient default.
        builder = docker_build.Provider("docker-build", opts=pulumi.ResourceOptions(parent=self))
        self.image = pipeline_image(
            "pipeline",
            repository=self.repository.repository_url,
            registry=self.repository.repository_url.apply(lambda url: url.split("/")[0]),
            username=token.user_name,
            password=token.password,
            opts=pulumi.ResourceOptions(parent=self, provider=builder),
        )
        self.image_ref = self.image.ref
        self.register_outputs({"repository_url": self.repository.repository_url,
                               "image_ref": self.image.ref})
