"""Storage by URI through ``pyarrow.fs``: one code path for file://, s3://, gs:// and abfs://.

The stages pass URIs around and call the functions below; which endpoint and credentials a
scheme uses comes from the ``StorageConfig`` that the CLI activates around each stage with
``using`` (parsed once from the environment, never read here). A scoped resolver rather than a
parameter on every function keeps the raw/processed layout modules about layout only.

Writes are atomic per scheme (see ``filesystems.WriteStrategy``), so a reader never sees half a
file and a failed run leaves no partial object under a final name. Every pyarrow failure becomes
a ``StorageError`` naming the URI and the cause.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from pipeline.errors import StorageError
from pipeline.filesystems import Backend, WriteStrategy, backend_of
from pipeline.settings import StorageConfig

TMP_PREFIX = ".tmp-"

# Substrings of pyarrow/SDK messages (lower case, no underscores) and the action that fixes
# them, checked in order: credentials first, since a denied request can name a bucket too.
_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("accessdenied", "access denied", "forbidden", "invalidaccesskeyid",
      "signaturedoesnotmatch", "authenticationfailed", "authorizationfailure", " 403",
      "unauthorized", " 401", "permission", "credential"),
     "check the job's credentials and its role on the bucket or container"),
    (("nosuchbucket", "bucket does not exist", "containernotfound", "container not found",
      "specified container does not exist", "notfound", " 404"),
     "check that the bucket or container exists"),
    (("couldn't connect", "connection refused", "could not resolve", "timeout", "timed out",
      "network", "unavailable", "connection reset", "fail to get a new connection"),
     "check that the storage endpoint is reachable"),
)


def _cause(exc: BaseException) -> str:
    """The first line of a pyarrow error, without the SDK's metadata dump; a long one keeps its
    head (the operation) and its tail (the service's error code)."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    text = text.split(" error_info={", 1)[0]
    return text if len(text) <= 320 else f"{text[:160]} ... {text[-150:]}"


def _hint(cause: str) -> str:
    lowered = cause.lower().replace("_", "")
    for needles, hint in _HINTS:
        if any(n in lowered for n in needles):
            return hint
    return "check the URI and the storage settings"


@contextmanager
def _failing(action: str, uri: str) -> Iterator[None]:
    try:
        yield
    except StorageError:
        raise
    except (OSError, pa.ArrowException) as exc:
        raise StorageError(f"cannot {action} {uri}: {_cause(exc)}; {_hint(str(exc))}") from exc


class Storage:
    """Resolves URIs to filesystems for one configuration, reusing one client per scope."""

    def __init__(self, config: StorageConfig) -> None:
        self.config = config
        self._filesystems: dict[tuple[str, str], pafs.FileSystem] = {}

    def resolve(self, uri: str) -> tuple[Backend, pafs.FileSystem, str]:
        backend, parts = backend_of(uri)
        scope = backend.scope(parts)
        key = (backend.name, scope)
        if key not in self._filesystems:
            with _failing("connect to", uri):
                self._filesystems[key] = backend.connect(self.config, scope)
        return backend, self._filesystems[key], backend.path(parts)


_ACTIVE: ContextVar[Storage | None] = ContextVar("tricloud_storage", default=None)
_DEFAULT: list[Storage] = []


@contextmanager
def using(config: StorageConfig) -> Iterator[Storage]:
    """Route every storage call inside the block through ``config``."""
    storage = Storage(config)
    token = _ACTIVE.set(storage)
    try:
        yield storage
    finally:
        _ACTIVE.reset(token)


def _active() -> Storage:
    current = _ACTIVE.get()
    if current is not None:
        return current
    if not _DEFAULT:  # outside ``using``: each cloud's own defaults, built on first use
        _DEFAULT.append(Storage(StorageConfig()))
    return _DEFAULT[0]


def resolve(uri: str) -> tuple[pafs.FileSystem, str]:
    """The filesystem and the path inside it for a storage URI."""
    _, fs, path = _active().resolve(uri)
    return fs, path


def join(uri: str, *parts: str) -> str:
    """Append path segments to a URI without doubling slashes."""
    return "/".join([uri.rstrip("/"), *(p.strip("/") for p in parts)])


def exists(uri: str) -> bool:
    fs, path = resolve(uri)
    with _failing("check", uri):
        return fs.get_file_info(path).type != pafs.FileType.NotFound


def list_files(uri: str, suffix: str = "") -> list[str]:
    """URIs of the files under ``uri`` (recursively), sorted; empty when the prefix is absent."""
    fs, path = resolve(uri)
    with _failing("list", uri):
        infos = fs.get_file_info(pafs.FileSelector(path, recursive=True, allow_not_found=True))
    base = uri.rstrip("/")
    prefix = path.rstrip("/")
    return sorted(
        base + info.path[len(prefix):]
        for info in infos
        if info.type == pafs.FileType.File and info.path.endswith(suffix)
        and not info.base_name.startswith(TMP_PREFIX)
    )


# Bytes per write when a local file is streamed to an object store.
_CHUNK = 8 * 2**20


def _upload(fs: pafs.FileSystem, path: str, data: bytes | Path) -> None:
    """Write ``data`` to ``path`` and commit it by closing the stream.

    No ``with``: closing is what commits an object upload, so only a complete write closes.
    A failed stream is dropped before its error leaves: Arrow then closes it from its
    destructor (which commits nothing that was not fully written), and any line that destructor
    prints comes now, before the caller reports the error, not after it. Kept alive by the
    traceback, the stream would be destroyed after ``pipeline: error:`` was printed.
    """
    out = fs.open_output_stream(path)
    try:
        if isinstance(data, bytes):
            out.write(data)
        else:
            with open(data, "rb") as src:
                shutil.copyfileobj(src, out, _CHUNK)
        out.close()
    except BaseException:
        del out
        raise


def _discard(fs: pafs.FileSystem, path: str) -> None:
    with contextlib.suppress(OSError, pa.ArrowException):  # every reader skips leftovers
        fs.delete_file(path)


def _atomic_write(uri: str, data: bytes | Path) -> None:
    backend, fs, path = _active().resolve(uri)
    parent = path.rsplit("/", 1)[0]
    with _failing("write", uri):
        if backend.makes_dirs:
            fs.create_dir(parent, recursive=True)
        if backend.write is WriteStrategy.PUT:
            _upload(fs, path, data)
            return
        tmp = f"{parent}/{TMP_PREFIX}{uuid.uuid4().hex}"
        try:
            _upload(fs, tmp, data)
            if backend.write is WriteStrategy.RENAME:
                fs.move(tmp, path)
            else:
                fs.copy_file(tmp, path)
        except BaseException:
            _discard(fs, tmp)
            raise
        if backend.write is WriteStrategy.COPY:
            _discard(fs, tmp)


def write_parquet(uri: str, table: pa.Table) -> None:
    """Write one Parquet file atomically (zstd level 1: as small as the default level here, and
    faster to write)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", compression_level=1)
    _atomic_write(uri, sink.getvalue().to_pybytes())


def write_parquet_from(uri: str, produce: Callable[[str], int],
                       scratch: Path | None = None) -> int:
    """Write one Parquet file that ``produce(local_path)`` writes (DuckDB's ``COPY ... TO``),
    atomically as ``write_parquet``; returns what ``produce`` returns (its rows).

    The engine encodes the file itself, in parallel and streaming, so a result never passes
    through Python memory. On a local filesystem it writes the temporary sibling that is then
    renamed; elsewhere it writes under ``scratch`` (the engine's spill folder) and the file is
    streamed to the store with the scheme's own commit.
    """
    backend, fs, path = _active().resolve(uri)
    if backend.write is WriteStrategy.RENAME and isinstance(fs, pafs.LocalFileSystem):
        parent = path.rsplit("/", 1)[0]
        tmp = f"{parent}/{TMP_PREFIX}{uuid.uuid4().hex}"
        with _failing("write", uri):
            fs.create_dir(parent, recursive=True)
            try:
                rows = produce(tmp)
                fs.move(tmp, path)
            except BaseException:
                _discard(fs, tmp)
                raise
        return rows
    with tempfile.TemporaryDirectory(prefix="tricloud-out-", dir=scratch) as folder:
        local = Path(folder) / "part.parquet"
        rows = produce(str(local))
        _atomic_write(uri, local)
    return rows


def read_parquet(uri: str) -> pa.Table:
    fs, path = resolve(uri)
    with _failing("read", uri):
        return pq.read_table(path, filesystem=fs)


def parquet_schema(uri: str) -> pa.Schema:
    """A Parquet file's schema, from its footer alone."""
    fs, path = resolve(uri)
    with _failing("read", uri), fs.open_input_file(path) as src:
        return pq.ParquetFile(src).schema_arrow


def iter_parquet(uri: str, rows: int) -> Iterator[pa.RecordBatch]:
    """A Parquet file ``rows`` at a time: a file of any size costs one chunk of memory."""
    fs, path = resolve(uri)
    with _failing("read", uri), fs.open_input_file(path) as src:
        yield from pq.ParquetFile(src).iter_batches(batch_size=rows)


def write_json(uri: str, payload: Any) -> None:
    """Write a JSON document atomically, keys sorted so the bytes are deterministic."""
    _atomic_write(uri, json.dumps(payload, indent=2, sort_keys=True, default=str).encode())


def read_json(uri: str) -> Any:
    fs, path = resolve(uri)
    with _failing("read", uri), fs.open_input_stream(path) as src:
        return json.loads(src.read())


def delete(uri: str) -> None:
    """Remove one file; a missing file is not an error."""
    fs, path = resolve(uri)
    with _failing("delete", uri):
        if fs.get_file_info(path).type != pafs.FileType.NotFound:
            fs.delete_file(path)
