"""Storage failures on S3, GCS and Azure Blob emulators: the endpoint goes away mid-stage, the
bucket is missing, the credentials are wrong. Each is one line naming the URI and the cause,
exit 1, nothing half-written or committed, and the next run ends with the clean run's warehouse.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.emulators import servers
from tests.emulators.buckets import root_uri
from tests.emulators.proxy import TrippingProxy
from tests.pipeline import goldendata as g
from tests.pipeline.emulators import StorageTarget, events, platform_env, run_pipeline

CLOUD_STORES = ("s3", "gs", "abfs")
ENDPOINT_VAR = {"s3": "TRICLOUD_S3_ENDPOINT", "gs": "TRICLOUD_GCS_ENDPOINT",
                "abfs": "TRICLOUD_AZURE_BLOB_ENDPOINT"}
# (stage that loses the endpoint, bytes of the first request it makes after some writes)
LOST_DURING = {"ingest": b"_batches", "transform": b"quarantine"}


def _error_line(proc) -> str:
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("pipeline: error: ")
    return last


def _committed(objects: list[str], prefix: str) -> list[str]:
    return [o for o in objects if o.startswith(prefix) and "/.tmp-" not in o]


@pytest.mark.slow
@pytest.mark.parametrize("stage", sorted(LOST_DURING))
@pytest.mark.parametrize("storage_target", CLOUD_STORES, indirect=True)
def test_endpoint_lost_mid_stage_then_the_next_run_recovers(
        storage_target: StorageTarget, stage: str, source_url: str,
        make_database: Callable[[], str], clean_warehouse: dict[str, tuple[int, str]]) -> None:
    assert storage_target.emulator is not None
    warehouse = make_database()
    with TrippingProxy(storage_target.emulator.port, LOST_DURING[stage]) as proxy:
        env = platform_env(storage_target, source_url, warehouse,
                           **{ENDPOINT_VAR[storage_target.scheme]: proxy.url})
        failed = run_pipeline("run", env=env, timeout=180)
    assert proxy.tripped.is_set()

    line = _error_line(failed)
    assert line.startswith(f"pipeline: error: {stage} failed: cannot ")
    assert storage_target.root in line and "check that the storage endpoint is reachable" in line
    (failure,) = [e for e in events(failed)
                  if e.get("stage") == stage and e.get("status") == "failed"]
    print(f"{storage_target.scheme} {stage}: failed after {failure['seconds']} s")
    objects = storage_target.objects()
    if stage == "ingest":
        assert _committed(objects, "raw/_batches/") == []
        assert "raw/_state/watermarks.json" not in objects
    else:
        assert len(_committed(objects, "raw/_batches/")) == 1
        assert [o for o in objects if o.startswith("processed/")
                and (o.endswith("_SUCCESS.json") or "/quarantine/" in o)] == []

    recovered = run_pipeline("run", env=platform_env(storage_target, source_url, warehouse))

    assert recovered.returncode == 0, recovered.stderr[-3000:]
    assert g.checksums(warehouse) == clean_warehouse


@pytest.mark.parametrize("scheme", CLOUD_STORES)
def test_missing_bucket_is_one_line_naming_the_uri(
        scheme: str, request: pytest.FixtureRequest, source_url: str,
        make_database: Callable[[], str]) -> None:
    emulator = request.getfixturevalue(
        {"s3": "moto_server", "gs": "gcs_server", "abfs": "azurite_server"}[scheme])
    missing = StorageTarget(scheme, "no-such-bucket", root_uri(scheme, "no-such-bucket"),
                            dict(emulator.env), emulator)

    proc = run_pipeline("ingest", env=platform_env(missing, source_url, make_database()))

    line = _error_line(proc)
    assert f"cannot write {missing.root}/raw/" in line
    assert line.endswith("check that the bucket or container exists")


def test_wrong_azure_key_is_one_line_naming_the_uri(
        azurite_server: servers.Emulator, source_url: str,
        make_database: Callable[[], str]) -> None:
    from tests.pipeline.emulators import target_on

    target = target_on(azurite_server)
    target.env["TRICLOUD_AZURE_ACCOUNT_KEY"] = base64.b64encode(b"not the key" * 6).decode()

    proc = run_pipeline("ingest", env=platform_env(target, source_url, make_database()))

    line = _error_line(proc)
    assert target.root in line and "403" in line
    assert line.endswith("check the job's credentials and its role on the bucket or container")
    assert target.objects() == []


def test_unknown_aws_key_is_one_line_naming_the_uri(
        tmp_path: Path, source_url: str, make_database: Callable[[], str]) -> None:
    """moto checks signatures against its own IAM once auth is on: our key is unknown there."""
    moto = servers.moto(tmp_path, INITIAL_NO_AUTH_ACTION_COUNT="0")
    try:
        target = StorageTarget("s3", "tricloud", "s3://tricloud", dict(moto.env), moto)
        proc = run_pipeline("ingest", env=platform_env(target, source_url, make_database()))
    finally:
        moto.stop()

    line = _error_line(proc)
    assert "cannot check s3://tricloud/raw/_state/watermarks.json: " in line
    assert line.endswith("check the job's credentials and its role on the bucket or container")


def test_an_account_key_without_an_emulator_endpoint_is_refused(tmp_path: Path) -> None:
    target = StorageTarget("file", str(tmp_path), tmp_path.as_uri(),
                           {"TRICLOUD_AZURE_ACCOUNT_KEY": servers.AZURITE_KEY})

    proc = run_pipeline("ingest", env=platform_env(target, "postgresql://x@127.0.0.1:1/x",
                                                    "postgresql://x@127.0.0.1:1/y"))

    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        "pipeline: error: TRICLOUD_AZURE_ACCOUNT_KEY is for emulators only and needs "
        "TRICLOUD_AZURE_BLOB_ENDPOINT; on Azure the job's managed identity is used")
