"""Identities of the platform: the job's and the scheduler's service accounts, least privilege.

The job may read and write objects in the two buckets only, read the pipeline's two secrets only,
and connect to Cloud SQL (a project-level role: Cloud SQL has no per-instance IAM). The scheduler
account gets nothing here: ``Schedule`` grants it the right to run this one job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp import names
from components.gcp.scope import Scope
from components.naming import physical_name

BUCKET_ROLE = "roles/storage.objectUser"  # objects only: read, create, overwrite (watermarks)
SECRET_ROLE = "roles/secretmanager.secretAccessor"
# Project-level roles, each with why it cannot be narrower; the tests hold the same list.
PROJECT_ROLES: dict[str, str] = {
    "roles/cloudsql.client": "Cloud SQL has no instance-level IAM bindings",
}


@dataclass(frozen=True)
class IdentitiesArgs:
    buckets: Mapping[str, gcp.storage.Bucket]
    secrets: Mapping[str, gcp.secretmanager.Secret]


class Identities(pulumi.ComponentResource):
    """Service accounts and the job's resource-scoped bindings."""

    job: gcp.serviceaccount.Account
    scheduler: gcp.serviceaccount.Account
    # The job must not be created before it can read its secrets: Cloud Run checks on deploy.
    grants: list[pulumi.Resource]

    def __init__(self, name: str, args: IdentitiesArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Identities", name, None, opts)
        stack = scope.ctx.stack
        self.job = gcp.serviceaccount.Account(
            "job", account_id=physical_name(names.SERVICE_ACCOUNT, stack, "job"),
            display_name=f"tricloud {stack}: pipeline job",
            description="Runs the ETL job; scoped to this stack's buckets and secrets",
            opts=scope.child(self))
        self.scheduler = gcp.serviceaccount.Account(
            "scheduler", account_id=physical_name(names.SERVICE_ACCOUNT, stack, "scheduler"),
            display_name=f"tricloud {stack}: job scheduler",
            description="Used by Cloud Scheduler only to start the pipeline job",
            opts=scope.child(self))
        member = self.job.member
        self.grants = [
            gcp.storage.BucketIAMMember(
                f"job-{zone}", bucket=bucket.name, role=BUCKET_ROLE, member=member,
                opts=scope.child(self))
            for zone, bucket in args.buckets.items()
        ]
        self.grants += [
            gcp.secretmanager.SecretIamMember(
                f"job-{purpose}", secret_id=secret.id, role=SECRET_ROLE, member=member,
                opts=scope.child(self))
            for purpose, secret in args.secrets.items()
        ]
        self.grants += [
            gcp.projects.IAMMember(
                f"job-{role.rsplit('/', 1)[-1]}", project=scope.project, role=role,
                member=member, opts=scope.child(self))
            for role in PROJECT_ROLES
        ]
        self.register_outputs({"job": self.job.email, "scheduler": self.scheduler.email})
