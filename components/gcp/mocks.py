"""Plausible GCP answers for the offline plan: resource paths, e-mails, IPs, invoke results.

Everything is derived from the stack's config and the resource's name, so a plan is the same on
every run; the values have the shapes the real API returns, because the code builds names,
URLs and policies from them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from config.schema import PlatformConfig

Inputs = dict[str, Any]


def _digits(text: str, length: int = 12) -> str:
    return str(int(hashlib.sha256(text.encode()).hexdigest(), 16))[:length]


@dataclass(frozen=True)
class MockResponder:
    platform: PlatformConfig

    @property
    def project(self) -> str:
        return self.platform.gcp.project if self.platform.gcp else "mock-project"

    @property
    def project_number(self) -> str:
        return _digits(self.project)

    def resource_state(self, type_: str, name: str, inputs: Inputs) -> dict[str, Any]:
        handler = self._handlers().get(type_)
        return handler(inputs.get("name") or name, inputs) if handler else {}

    def call(self, token: str, args: dict[str, Any]) -> dict[str, Any]:
        if token == "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
            email = f"service-{self.project_number}@gs-project-accounts.iam.gserviceaccount.com"
            return {"emailAddress": email, "member": f"serviceAccount:{email}",
                    "project": self.project, "id": self.project}
        if token == "gcp:organizations/getClientConfig:getClientConfig":
            return {"accessToken": "mock-access-token", "project": self.project,
                    "region": self.platform.region, "zone": f"{self.platform.region}-a",
                    "defaultLabels": {}, "id": self.project}
        return {}

    def _handlers(self) -> dict[str, Callable[[str, Inputs], dict[str, Any]]]:
        p, r = self.project, self.platform.region
        return {
            "gcp:compute/network:Network": lambda n, _: self._path(
                f"projects/{p}/global/networks/{n}"),
            "gcp:compute/subnetwork:Subnetwork": lambda n, _: self._path(
                f"projects/{p}/regions/{r}/subnetworks/{n}"),
            "gcp:compute/router:Router": lambda n, _: self._path(
                f"projects/{p}/regions/{r}/routers/{n}"),
            "gcp:compute/globalAddress:GlobalAddress": lambda n, _: self._path(
                f"projects/{p}/global/addresses/{n}"),
            "gcp:storage/bucket:Bucket": lambda n, _: {
                "id": n, "name": n, "url": f"gs://{n}",
                "selfLink": f"https://www.googleapis.com/storage/v1/b/{n}"},
            "gcp:kms/keyRing:KeyRing": lambda n, _: {
                "id": f"projects/{p}/locations/{r}/keyRings/{n}", "name": n},
            "gcp:kms/cryptoKey:CryptoKey": lambda n, i: {
                "id": f"{i.get('keyRing', 'keyring')}/cryptoKeys/{n}", "name": n},
            "gcp:serviceaccount/account:Account": self._service_account,
            "gcp:secretmanager/secret:Secret": lambda _, i: {
                "id": f"projects/{p}/secrets/{i['secretId']}",
                "name": f"projects/{self.project_number}/secrets/{i['secretId']}"},
            "gcp:secretmanager/secretVersion:SecretVersion": lambda n, _: {
                "name": f"projects/{self.project_number}/secrets/{n}/versions/1",
                "version": "1"},
            "gcp:sql/databaseInstance:DatabaseInstance": self._sql_instance,
            "gcp:artifactregistry/repository:Repository": lambda _, i: {
                "id": f"projects/{p}/locations/{r}/repositories/{i['repositoryId']}",
                "name": i["repositoryId"],
                "registryUri": f"{r}-docker.pkg.dev/{p}/{i['repositoryId']}"},
            "gcp:projects/serviceIdentity:ServiceIdentity": self._service_identity,
            "docker-build:index:Image": self._image,
            "gcp:cloudrunv2/job:Job": lambda n, _: {
                "id": f"projects/{p}/locations/{r}/jobs/{n}", "name": n, "location": r,
                "uid": _digits(n, 8)},
            "gcp:cloudscheduler/job:Job": lambda n, _: {
                "id": f"projects/{p}/locations/{r}/jobs/{n}", "name": n},
            "gcp:monitoring/notificationChannel:NotificationChannel": lambda n, _: self._path(
                f"projects/{p}/notificationChannels/{_digits(n)}", name_is_path=True),
            "gcp:monitoring/alertPolicy:AlertPolicy": lambda n, _: self._path(
                f"projects/{p}/alertPolicies/{_digits(n)}", name_is_path=True),
            "gcp:logging/projectBucketConfig:ProjectBucketConfig": lambda _, i: self._path(
                f"projects/{p}/locations/{r}/buckets/{i['bucketId']}", name_is_path=True),
        }

    @staticmethod
    def _path(path: str, *, name_is_path: bool = False) -> dict[str, Any]:
        name = path if name_is_path else path.rsplit("/", 1)[-1]
        return {"id": path, "name": name,
                "selfLink": f"https://www.googleapis.com/compute/v1/{path}"}

    def _service_account(self, _: str, inputs: Inputs) -> dict[str, Any]:
        email = f"{inputs['accountId']}@{self.project}.iam.gserviceaccount.com"
        return {"id": f"projects/{self.project}/serviceAccounts/{email}", "email": email,
                "member": f"serviceAccount:{email}", "uniqueId": _digits(email, 21),
                "name": f"projects/{self.project}/serviceAccounts/{email}"}

    def _service_identity(self, _: str, inputs: Inputs) -> dict[str, Any]:
        """A Google service agent: ``service-<number>@gcp-sa-<service>.iam...``."""
        service = str(inputs["service"]).split(".", 1)[0]
        email = f"service-{self.project_number}@gcp-sa-{service}.iam.gserviceaccount.com"
        return {"id": f"projects/{self.project}/services/{inputs['service']}",
                "email": email, "member": f"serviceAccount:{email}"}

    def _sql_instance(self, name: str, _: Inputs) -> dict[str, Any]:
        from components.gcp.network import PRIVATE_SERVICES, address_plan

        host = str(address_plan(self.platform.network.cidr)[PRIVATE_SERVICES][3])
        return {"id": name, "name": name, "privateIpAddress": host, "publicIpAddress": "",
                "connectionName": f"{self.project}:{self.platform.region}:{name}",
                "ipAddresses": [{"ipAddress": host, "type": "PRIVATE"}],
                "selfLink": f"https://sqladmin.googleapis.com/sql/v1beta4/projects/"
                            f"{self.project}/instances/{name}"}

    def _image(self, name: str, inputs: Inputs) -> dict[str, Any]:
        tags = inputs.get("tags") or [f"{name}:latest"]
        repository = str(tags[0]).rsplit(":", 1)[0]
        digest = "sha256:" + hashlib.sha256(repository.encode()).hexdigest()
        return {"ref": f"{repository}@{digest}", "digest": digest}
