"""The project APIs the platform uses, enabled by the stack itself.

A fresh project has most APIs off; enabling them here makes ``pulumi up`` work on an empty
project (only the Service Usage API itself must already be on, as it is in new projects).
They are never disabled on destroy: other workloads in the project may rely on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp.scope import Scope

# Every API a resource of this package calls; the tests compare the plan against this list.
REQUIRED_SERVICES: tuple[str, ...] = (
    "artifactregistry.googleapis.com",
    "cloudkms.googleapis.com",
    "cloudresourcemanager.googleapis.com",  # project-level IAM members
    "cloudscheduler.googleapis.com",
    "compute.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
)


@dataclass(frozen=True)
class ProjectServicesArgs:
    apis: Sequence[str] = REQUIRED_SERVICES


class ProjectServices(pulumi.ComponentResource):
    """One ``projects.Service`` per required API."""

    services: list[gcp.projects.Service]

    def __init__(self, name: str, args: ProjectServicesArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:ProjectServices", name, None, opts)
        self.services = [
            gcp.projects.Service(
                api.split(".", 1)[0], project=scope.project, service=api,
                disable_on_destroy=False, disable_dependent_services=False,
                opts=scope.child(self))
            for api in args.apis
        ]
        self.register_outputs({"services": [s.service for s in self.services]})
