"""The pipeline image's home: an Artifact Registry Docker repository, and the image pushed to it.

Cleanup policies keep the repository from growing without bound: untagged images go after a
week and superseded source-tagged builds after a month, while the most recent versions always
stay (in Artifact Registry a KEEP policy wins over DELETE) so a rollback is possible.

In prod the repository is encrypted with the stack's customer-managed key (the buckets' key), so
one key the stack controls covers every stored byte. Artifact Registry sets the key only at
creation: turning it on for an existing repository replaces the repository, and the image is
pushed again by the same deployment.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp import names
from components.gcp.keys import ENCRYPTER_DECRYPTER
from components.gcp.scope import Scope
from components.image import TAG_PREFIX, pipeline_image
from components.naming import physical_name

IMAGE = "pipeline"
UNTAGGED_MAX_AGE = f"{7 * 24 * 3600}s"
BUILD_MAX_AGE = f"{30 * 24 * 3600}s"


@dataclass(frozen=True)
class ImageRegistryArgs:
    keep_images: int  # the newest images always kept, whatever their age
    # The stack's customer-managed key (prod); None leaves Google-managed encryption.
    kms_key: gcp.kms.CryptoKey | None = None


class ImageRegistry(pulumi.ComponentResource):
    """Repository plus the built image; ``image_ref`` pins the job to the pushed digest."""

    repository: pulumi.Output[str]
    image_ref: pulumi.Output[str]

    def __init__(self, name: str, args: ImageRegistryArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:ImageRegistry", name, None, opts)
        grant = self._key_grant(args.kms_key, scope)
        repo = gcp.artifactregistry.Repository(
            "images", location=scope.region, format="DOCKER",
            repository_id=physical_name(names.ARTIFACT_REPOSITORY, "tricloud", scope.ctx.stack),
            description="tricloud pipeline images", labels=scope.labels,
            kms_key_name=args.kms_key.id if args.kms_key else None,
            cleanup_policy_dry_run=False,
            cleanup_policies=[
                gcp.artifactregistry.RepositoryCleanupPolicyArgs(
                    id="keep-recent", action="KEEP",
                    most_recent_versions=gcp.artifactregistry.
                    RepositoryCleanupPolicyMostRecentVersionsArgs(keep_count=args.keep_images)),
                gcp.artifactregistry.RepositoryCleanupPolicyArgs(
                    id="delete-untagged", action="DELETE",
                    condition=gcp.artifactregistry.RepositoryCleanupPolicyConditionArgs(
                        tag_state="UNTAGGED", older_than=UNTAGGED_MAX_AGE)),
                gcp.artifactregistry.RepositoryCleanupPolicyArgs(
                    id="delete-old-builds", action="DELETE",
                    condition=gcp.artifactregistry.RepositoryCleanupPolicyConditionArgs(
                        tag_state="TAGGED", tag_prefixes=[TAG_PREFIX],
                        older_than=BUILD_MAX_AGE)),
            ],
            opts=scope.child(self, depends_on=[grant] if grant else []))
        self.repository = repo.registry_uri.apply(lambda uri: f"{uri}/{IMAGE}")
        # Push with a short-lived token of whoever runs `pulumi up`; no stored key.
        token = gcp.organizations.get_client_config_output(opts=scope.invoke(self)).access_token
        image = pipeline_image(
            IMAGE, repository=self.repository, registry=f"{scope.region}-docker.pkg.dev",
            username="oauth2accesstoken", password=pulumi.Output.secret(token),
            opts=pulumi.ResourceOptions(parent=self, provider=scope.image_provider,
                                        depends_on=[repo]))
        self.image_ref = image.ref
        self.register_outputs({"repository": self.repository, "image_ref": self.image_ref})

    def _key_grant(self, key: gcp.kms.CryptoKey | None,
                   scope: Scope) -> gcp.kms.CryptoKeyIAMMember | None:
        """The Artifact Registry service agent's right to use the key, before the repository.

        The agent exists only once something asks for it, so it is created (ServiceIdentity)
        rather than looked up; it gets encrypter/decrypter on this one key, nothing project-wide.
        """
        if key is None:
            return None
        agent = gcp.projects.ServiceIdentity(
            "artifact-registry-agent", project=scope.project,
            service="artifactregistry.googleapis.com", opts=scope.child(self))
        return gcp.kms.CryptoKeyIAMMember(
            "artifact-registry-agent", crypto_key_id=key.id, role=ENCRYPTER_DECRYPTER,
            member=agent.member, opts=scope.child(self))
