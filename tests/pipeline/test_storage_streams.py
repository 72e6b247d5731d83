"""A write that fails is finished before its error reaches the caller, on every object store.

Arrow closes a stream that is still open from its destructor, and prints to stderr when that
close fails too. If a failed write's stream outlives the error (held by the traceback), that
print lands after the pipeline's ``pipeline: error:`` line, which must be the last line. These
tests cut the endpoint in the middle of a write and check that nothing is printed once the
caller has the error, and that nothing half-written is visible under the final name.
"""

from __future__ import annotations

import gc

import pyarrow as pa
import pytest

from pipeline import storage
from pipeline.errors import StorageError
from pipeline.settings import StorageConfig
from tests.emulators.proxy import TrippingProxy
from tests.pipeline.emulators import StorageTarget

ENDPOINT_VAR = {"s3": "TRICLOUD_S3_ENDPOINT", "gs": "TRICLOUD_GCS_ENDPOINT",
                "abfs": "TRICLOUD_AZURE_BLOB_ENDPOINT"}
# A column name that appears in the Parquet bytes, so the proxy trips on the request that
# carries the file's content, after the stream has been opened.
TRIPWIRE = "tripwire_column_7f3a"


def _failed_write(uri: str, capfd: pytest.CaptureFixture[str]) -> tuple[str, str]:
    """Write through the tripped endpoint; (the error, what stderr had when it reached us)."""
    table = pa.table({TRIPWIRE: pa.array(range(50_000), pa.int64())})
    try:
        storage.write_parquet(uri, table)
    except StorageError as exc:
        return str(exc), capfd.readouterr().err
    raise AssertionError(f"the write of {uri} went through a proxy that was cut")


@pytest.mark.parametrize("storage_target", sorted(ENDPOINT_VAR), indirect=True)
def test_a_failed_write_prints_nothing_after_its_error(
        storage_target: StorageTarget, capfd: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert storage_target.emulator is not None
    for name, value in storage_target.env.items():  # S3's key pair comes from the environment
        monkeypatch.setenv(name, value)
    uri = storage.join(storage_target.root, "processed", "part.parquet")

    with TrippingProxy(storage_target.emulator.port, TRIPWIRE.encode()) as proxy:
        env = {**storage_target.env, ENDPOINT_VAR[storage_target.scheme]: proxy.url}
        with storage.using(StorageConfig.from_env(env)):
            message, _ = _failed_write(uri, capfd)
    gc.collect()  # whatever the failed write left behind is destroyed by now at the latest

    assert proxy.tripped.is_set()
    assert message.startswith(f"cannot write {uri}: ")
    assert capfd.readouterr().err == ""
    assert "processed/part.parquet" not in storage_target.objects()
