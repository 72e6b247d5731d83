"""The stack's customer-managed key (prod): the stack, not Google, controls the key.

It encrypts the buckets and the image repository; each service agent that uses it is granted
encrypter/decrypter on this one key (the GCS agent here, the Artifact Registry agent by the
registry), never a project-wide KMS role.

The key ring and key are auto-named: key rings can never be deleted on GCP, so a fixed name
would make a destroyed-and-recreated stack fail on an existing ring.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp.scope import Scope
from components.scope import renamed

ROTATION_PERIOD = f"{90 * 24 * 3600}s"  # rotate every 90 days
ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


@dataclass(frozen=True)
class DataKeyArgs:
    purpose: str  # what the key encrypts; also the key's logical name


class DataKey(pulumi.ComponentResource):
    """Key ring, rotating key, and the GCS service agent's right to use only this key."""

    key: gcp.kms.CryptoKey
    binding: gcp.kms.CryptoKeyIAMMember

    def __init__(self, name: str, args: DataKeyArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:DataKey", name, None,
                         renamed(opts, "tricloud:gcp:StorageKey"))
        ring = gcp.kms.KeyRing("keyring", location=scope.region, project=scope.project,
                               opts=scope.data(self))
        self.key = gcp.kms.CryptoKey(
            args.purpose, key_ring=ring.id, purpose="ENCRYPT_DECRYPT",
            rotation_period=ROTATION_PERIOD, labels=scope.labels,
            version_template=gcp.kms.CryptoKeyVersionTemplateArgs(
                algorithm="GOOGLE_SYMMETRIC_ENCRYPTION", protection_level="SOFTWARE"),
            opts=scope.data(self))
        agent = gcp.storage.get_project_service_account_output(
            project=scope.project, opts=scope.invoke(self))
        self.binding = gcp.kms.CryptoKeyIAMMember(
            "gcs-agent", crypto_key_id=self.key.id, role=ENCRYPTER_DECRYPTER,
            member=agent.email_address.apply(lambda email: f"serviceAccount:{email}"),
            opts=scope.child(self))
        self.register_outputs({"key": self.key.id, "key_ring": ring.id})
