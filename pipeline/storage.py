"""Storage by URI through ``pyarrow.fs``: one code path for file://, s3://, gs:// and abfs://.

Writes are atomic where the filesystem allows it (write to a temporary name, then move), so a
reader never sees half a file and a crashed run leaves no partial object under a final name.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq


def resolve(uri: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem and the path inside it for a storage URI."""
    return pafs.FileSystem.from_uri(uri)


def join(uri: str, *parts: str) -> str:
    """Append path segments to a URI without doubling slashes."""
    return "/".join([uri.rstrip("/"), *(p.strip("/") for p in parts)])


def exists(uri: str) -> bool:
    fs, path = resolve(uri)
    return fs.get_file_info(path).type != pafs.FileType.NotFound


def list_files(uri: str, suffix: str = "") -> list[str]:
    """URIs of the files under ``uri`` (recursively), sorted; empty when the prefix is absent."""
    fs, path = resolve(uri)
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return []
    infos = fs.get_file_info(pafs.FileSelector(path, recursive=True))
    base = uri.rstrip("/")
    prefix = path.rstrip("/")
    return sorted(
        base + info.path[len(prefix):]
        for info in infos
        if info.type == pafs.FileType.File and info.path.endswith(suffix)
    )


def _atomic_write(uri: str, data: bytes) -> None:
    fs, path = resolve(uri)
    parent = path.rsplit("/", 1)[0]
    fs.create_dir(parent, recursive=True)
    tmp = f"{parent}/.tmp-{uuid.uuid4().hex}"
    with fs.open_output_stream(tmp) as out:
        out.write(data)
    fs.move(tmp, path)


def write_parquet(uri: str, table: pa.Table) -> None:
    """Write one Parquet file atomically (zstd-compressed)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    _atomic_write(uri, sink.getvalue().to_pybytes())


def read_parquet(uri: str) -> pa.Table:
    fs, path = resolve(uri)
    return pq.read_table(path, filesystem=fs)


def write_json(uri: str, payload: Any) -> None:
    """Write a JSON document atomically, keys sorted so the bytes are deterministic."""
    _atomic_write(uri, json.dumps(payload, indent=2, sort_keys=True, default=str).encode())


def read_json(uri: str) -> Any:
    fs, path = resolve(uri)
    with fs.open_input_stream(path) as src:
        return json.loads(src.read())
