"""One table from URI scheme to pyarrow filesystem, path and write strategy: no per-cloud code.

Each row says how a URI of that scheme becomes a ``pyarrow.fs`` filesystem and a path inside
it, which credentials it uses (the platform's own: the ECS task role through the default AWS
chain, the Cloud Run job's service account through application default credentials, the
Container Apps job's user-assigned identity through Entra ID; keys only for emulators), and how
a file is written so that no reader ever sees half of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from urllib.parse import SplitResult, unquote, urlsplit

import pyarrow.fs as pafs

from pipeline.errors import StorageError
from pipeline.settings import StorageConfig

# Bounded so that a dead endpoint fails a stage in seconds instead of hanging the job; the
# platforms rerun the job on their schedule, which is the retry that matters.
CONNECT_TIMEOUT_SECONDS = 5.0
REQUEST_TIMEOUT_SECONDS = 60.0
S3_MAX_ATTEMPTS = 3
GCS_RETRY_LIMIT = timedelta(seconds=10)


class WriteStrategy(Enum):
    """How a complete file appears under its final name in one step."""

    # Write a temporary sibling, then rename it: atomic on a POSIX filesystem.
    RENAME = "rename"
    # Write straight to the final name: the object only exists once the upload completes
    # (S3 PutObject / CompleteMultipartUpload, GCS's final resumable chunk).
    PUT = "put"
    # Azure block blobs exist from the moment the stream opens and Move needs a hierarchical
    # namespace (which versioned accounts lack), so write a temporary blob, then copy it
    # server-side (the destination is committed whole) and delete the temporary one.
    COPY = "copy"


@dataclass(frozen=True)
class Backend:
    """How one URI scheme is served."""

    name: str
    # The part of the URI that one filesystem object serves (bucket, account, or nothing).
    scope: Callable[[SplitResult], str]
    path: Callable[[SplitResult], str]
    connect: Callable[[StorageConfig, str], pafs.FileSystem]
    write: WriteStrategy
    # Object stores have no directories; creating one would leave marker objects behind.
    makes_dirs: bool = False


def _bucket_path(parts: SplitResult) -> str:
    if not parts.netloc:
        raise StorageError(f"{parts.geturl()}: no bucket in the URI; "
                           f"use {parts.scheme}://<bucket>/<path>")
    return f"{parts.netloc}{unquote(parts.path)}".rstrip("/")


def _abfs_account(parts: SplitResult) -> str:
    if not parts.username or not parts.hostname:
        raise StorageError(f"{parts.geturl()}: not an Azure Blob URI; use "
                           "abfs://<container>@<account>.dfs.core.windows.net/<path>")
    return parts.hostname.split(".", 1)[0]


def _abfs_path(parts: SplitResult) -> str:
    _abfs_account(parts)
    return f"{parts.username}{unquote(parts.path)}".rstrip("/")


def _local(_config: StorageConfig, _scope: str) -> pafs.FileSystem:
    return pafs.LocalFileSystem()


def _s3(config: StorageConfig, bucket: str) -> pafs.FileSystem:
    endpoint = config.s3_endpoint
    region = None if endpoint else pafs.resolve_s3_region(bucket)
    return pafs.S3FileSystem(
        region=region,
        endpoint_override=endpoint.authority if endpoint else None,
        scheme=endpoint.scheme if endpoint else "https",
        connect_timeout=CONNECT_TIMEOUT_SECONDS, request_timeout=REQUEST_TIMEOUT_SECONDS,
        retry_strategy=pafs.AwsStandardS3RetryStrategy(max_attempts=S3_MAX_ATTEMPTS))


def _gcs(config: StorageConfig, _scope: str) -> pafs.FileSystem:
    endpoint = config.gcs_endpoint
    if endpoint is None:
        return pafs.GcsFileSystem(retry_time_limit=GCS_RETRY_LIMIT)
    return pafs.GcsFileSystem(anonymous=True, endpoint_override=endpoint.authority,
                              scheme=endpoint.scheme, project_id="tricloud-emulator",
                              retry_time_limit=GCS_RETRY_LIMIT)


def _azure(config: StorageConfig, account: str) -> pafs.FileSystem:
    endpoint = config.azure_blob_endpoint
    overrides: dict[str, str] = {}
    if endpoint is not None:
        # Emulators serve both APIs on the blob port; pyarrow probes the DFS one for HNS.
        overrides = {"blob_storage_authority": endpoint.authority,
                     "blob_storage_scheme": endpoint.scheme,
                     "dfs_storage_authority": endpoint.authority,
                     "dfs_storage_scheme": endpoint.scheme}
    if config.azure_account_key:
        return pafs.AzureFileSystem(account, account_key=config.azure_account_key, **overrides)
    # With only a client id pyarrow uses that user-assigned managed identity; without one, the
    # default Entra ID chain (environment, workload identity, CLI, system-assigned identity).
    return pafs.AzureFileSystem(account, client_id=config.azure_client_id, **overrides)


_FILE = Backend("file", lambda _p: "", lambda p: unquote(p.path), _local, WriteStrategy.RENAME,
                makes_dirs=True)
_S3 = Backend("s3", lambda p: p.netloc, _bucket_path, _s3, WriteStrategy.PUT)
_GCS = Backend("gcs", lambda _p: "", _bucket_path, _gcs, WriteStrategy.PUT)
_AZURE = Backend("azure", _abfs_account, _abfs_path, _azure, WriteStrategy.COPY)

BACKENDS: dict[str, Backend] = {
    "file": _FILE, "s3": _S3, "gs": _GCS, "gcs": _GCS, "abfs": _AZURE, "abfss": _AZURE,
}


def backend_of(uri: str) -> tuple[Backend, SplitResult]:
    """The backend serving ``uri`` and the URI's parts; a clear error for anything else."""
    parts = urlsplit(uri)
    backend = BACKENDS.get(parts.scheme)
    if backend is None:
        raise StorageError(f"{uri}: unsupported storage URI scheme {parts.scheme!r}; use one "
                           f"of {', '.join(s + '://' for s in BACKENDS)}")
    return backend, parts
