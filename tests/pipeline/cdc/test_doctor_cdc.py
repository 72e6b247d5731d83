"""``pipeline doctor``'s change data capture checks, on a server with and without
``wal_level = logical``."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.doctor import Status, cdc_checks
from pipeline.source.cdc import operations


def test_a_server_without_logical_wal_gets_each_platforms_fix(
        make_database: Callable[[], str]) -> None:
    (check,) = cdc_checks(make_database())  # the shared server: wal_level = replica
    assert check.status is Status.FAIL
    assert check.detail.startswith("the source has wal_level = replica")
    assert "aws-rds: set rds.logical_replication = 1" in check.fix
    assert "gcp-cloudsql: set the database flag cloudsql.logical_decoding = on" in check.fix


def test_the_publication_and_slot_are_checked_after_the_prerequisites(cdc_source: str) -> None:
    prerequisites, slot = cdc_checks(cdc_source)
    assert prerequisites.status is Status.OK
    assert (slot.status, slot.detail) == (
        Status.FAIL, "no publication tricloud and no replication slot tricloud")
    assert slot.fix == "`pipeline cdc setup` creates the publication and the slot"

    operations.setup(cdc_source, operations.Names())
    try:
        assert [c.status for c in cdc_checks(cdc_source)] == [Status.OK, Status.OK]
    finally:
        operations.drop(cdc_source, operations.Names())
