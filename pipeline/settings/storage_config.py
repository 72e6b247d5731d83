"""How storage is reached per URI scheme: emulator endpoints, the emulator key, the identity."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipeline.settings.problems import SettingsError
from pipeline.settings.variables import (
    AZURE_ACCOUNT_KEY,
    AZURE_BLOB_ENDPOINT,
    AZURE_CLIENT_ID,
    GCS_ENDPOINT,
    S3_ENDPOINT,
)


@dataclass(frozen=True)
class Endpoint:
    """Where a storage emulator (or other compatible service) answers, split as pyarrow wants."""

    scheme: str
    authority: str

    @classmethod
    def parse(cls, name: str, value: str) -> Endpoint:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
            raise SettingsError(
                f"{name}={value!r} is not an endpoint URL; use "
                "http(s)://host[:port], e.g. http://127.0.0.1:9000"
            )
        return cls(parts.scheme, parts.netloc)


@dataclass(frozen=True)
class StorageConfig:
    """How ``pipeline.storage`` connects per URI scheme; empty means each cloud's own defaults.

    On the platforms nothing is set but ``azure_client_id``: S3 and GCS find the job's identity
    through their SDKs' default chains. The overrides exist so the same code reaches emulators.
    """

    s3_endpoint: Endpoint | None = None
    gcs_endpoint: Endpoint | None = None
    azure_blob_endpoint: Endpoint | None = None
    azure_account_key: str | None = field(default=None, repr=False)
    azure_client_id: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> StorageConfig:
        def endpoint(name: str) -> Endpoint | None:
            value = env.get(name)
            return Endpoint.parse(name, value) if value else None

        azure = endpoint(AZURE_BLOB_ENDPOINT.name)
        key = env.get(AZURE_ACCOUNT_KEY.name) or None
        if key is not None:
            if azure is None:
                raise SettingsError(
                    f"{AZURE_ACCOUNT_KEY.name} is for emulators only and needs "
                    f"{AZURE_BLOB_ENDPOINT.name}; on Azure the job's managed identity is used"
                )
            try:
                base64.b64decode(key, validate=True)
            except binascii.Error:
                raise SettingsError(
                    f"{AZURE_ACCOUNT_KEY.name} is not base64; use the "
                    "emulator's account key as printed by it"
                ) from None
        return cls(
            s3_endpoint=endpoint(S3_ENDPOINT.name),
            gcs_endpoint=endpoint(GCS_ENDPOINT.name),
            azure_blob_endpoint=azure,
            azure_account_key=key,
            azure_client_id=env.get(AZURE_CLIENT_ID.name) or None,
        )
