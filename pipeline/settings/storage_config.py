"""How storage is reached per URI scheme: emulator endpoints, the emulator key, the identity."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipeline.settings.values import Reader
from pipeline.settings.variables import (
    AZURE_ACCOUNT_KEY,
    AZURE_BLOB_ENDPOINT,
    AZURE_CLIENT_ID,
    GCS_ENDPOINT,
    S3_ENDPOINT,
    EnvVar,
)


@dataclass(frozen=True)
class Endpoint:
    """Where a storage emulator (or other compatible service) answers, split as pyarrow wants."""

    scheme: str
    authority: str

    @classmethod
    def read(cls, reader: Reader, var: EnvVar) -> Endpoint | None:
        """The endpoint ``var`` names, or None when unset or malformed (a problem is recorded)."""
        value = reader.get(var)
        if value is None:
            return None
        parts = urlsplit(value)
        try:
            _ = parts.port  # raises on a port that is not a number in range
        except ValueError:
            reader.problem(var, "has a port that is not a number from 1 to 65535; use "
                           "http(s)://host[:port], e.g. http://127.0.0.1:9000", value)
            return None
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
            reader.problem(var, "is not an endpoint URL; use http(s)://host[:port], e.g. "
                           "http://127.0.0.1:9000", value)
            return None
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
        """Parse the storage variables alone; raises every problem found."""
        reader = Reader(env)
        config = cls.read(reader)
        reader.check()
        return config

    @classmethod
    def read(cls, reader: Reader) -> StorageConfig:
        azure = Endpoint.read(reader, AZURE_BLOB_ENDPOINT)
        key = reader.get(AZURE_ACCOUNT_KEY)
        if key is not None:
            if not reader.has(AZURE_BLOB_ENDPOINT):
                reader.problem(AZURE_ACCOUNT_KEY, f"is for emulators only and needs "
                               f"{AZURE_BLOB_ENDPOINT.name}; on Azure the job's managed "
                               "identity is used")
            try:
                base64.b64decode(key, validate=True)
            except binascii.Error:
                reader.problem(AZURE_ACCOUNT_KEY, "is not base64; use the emulator's account "
                               "key as printed by it")
        return cls(
            s3_endpoint=Endpoint.read(reader, S3_ENDPOINT),
            gcs_endpoint=Endpoint.read(reader, GCS_ENDPOINT),
            azure_blob_endpoint=azure,
            azure_account_key=key,
            azure_client_id=reader.get(AZURE_CLIENT_ID),
        )
