"""Create a fresh bucket or container on an emulator and name its root URI for the pipeline.

Uses pyarrow directly (with bucket creation allowed), so the pipeline's own storage module,
which never creates buckets, is not involved in setting up its test.
"""

from __future__ import annotations

import pyarrow.fs as pafs

from tests.emulators.servers import AZURITE_ACCOUNT, AZURITE_KEY, Emulator


def admin_filesystem(emulator: Emulator) -> pafs.FileSystem:
    authority = f"127.0.0.1:{emulator.port}"
    if emulator.scheme == "s3":
        return pafs.S3FileSystem(access_key="testing", secret_key="testing", region="us-east-1",
                                 endpoint_override=authority, scheme="http",
                                 allow_bucket_creation=True, allow_bucket_deletion=True)
    if emulator.scheme == "gs":
        return pafs.GcsFileSystem(anonymous=True, endpoint_override=authority, scheme="http",
                                  project_id="tricloud-emulator")
    return pafs.AzureFileSystem(AZURITE_ACCOUNT, account_key=AZURITE_KEY,
                                blob_storage_authority=authority, blob_storage_scheme="http",
                                dfs_storage_authority=authority, dfs_storage_scheme="http")


def root_uri(scheme: str, bucket: str) -> str:
    """The URI of a bucket (container) root, as a platform would export it."""
    if scheme == "abfs":
        return f"abfs://{bucket}@{AZURITE_ACCOUNT}.dfs.core.windows.net"
    return f"{scheme}://{bucket}"


def make_bucket(emulator: Emulator, bucket: str) -> str:
    admin_filesystem(emulator).create_dir(bucket)
    return root_uri(emulator.scheme, bucket)


def object_names(emulator: Emulator, bucket: str) -> list[str]:
    """Every object in a bucket, relative to it: what a reader could ever see."""
    fs = admin_filesystem(emulator)
    infos = fs.get_file_info(pafs.FileSelector(bucket, recursive=True, allow_not_found=True))
    return sorted(i.path[len(bucket) + 1:] for i in infos if i.type == pafs.FileType.File)
