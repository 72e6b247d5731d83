"""Running the cdc ingest against a real slot, and reading back what it committed to raw."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa

from pipeline import ingest, raw, storage
from pipeline.runlog import RunLog
from pipeline.session import Session
from pipeline.settings import CdcConfig, Settings, SourceKind
from pipeline.stages import StageResult


def settings_for(folder: Path, **cdc: Any) -> Settings:
    base = Settings.local(folder, source=SourceKind.CDC)
    return dataclasses.replace(base, cdc=CdcConfig(**cdc))


def run_ingest(folder: Path, url: str, log: RunLog | None = None, **cdc: Any) -> StageResult:
    session = Session.of(settings_for(folder, **cdc), source_url=url, log=log)
    return ingest.run(session)


def manifests(folder: Path) -> list[dict[str, Any]]:
    return sorted(raw.committed_batches(settings_for(folder).raw_uri),
                  key=lambda m: m["batch_id"])


def rows(folder: Path, table: str, kind: str | None = None) -> list[dict[str, Any]]:
    """Every committed raw row of ``table`` (from batches of ``kind`` if given), in batch and
    file order."""
    out: list[dict[str, Any]] = []
    for manifest in manifests(folder):
        if kind is not None and manifest["cdc"]["kind"] != kind:
            continue
        for uri in manifest["tables"].get(table, {}).get("files", []):
            out.extend(storage.read_parquet(uri).to_pylist())
    return out


def read_schema(folder: Path, table: str) -> pa.Schema:
    uri = next(u for m in manifests(folder) for u in m["tables"][table]["files"])
    return storage.read_parquet(uri).schema


def versions(folder: Path, table: str, key: str, value: int) -> list[tuple[str, Any]]:
    """(operation, row) of one id's versions, changes batches only, in commit order."""
    found = [r for r in rows(folder, table, "changes") if r[key] == value]
    found.sort(key=lambda r: (r["cdc_commit_lsn"], r["cdc_ordinal"]))
    return [(r["cdc_op"], r) for r in found]


def wait_inactive(url: str, slot: str = "tricloud") -> None:
    """A killed reader's backend lets go of the slot asynchronously: wait (bounded) for it."""
    with psycopg.connect(url, autocommit=True) as probe:
        for _ in range(200):
            row = probe.execute("SELECT active FROM pg_replication_slots WHERE slot_name = %s",
                                (slot,)).fetchone()
            if row is None or row == (False,):
                return
            time.sleep(0.05)
    raise AssertionError(f"slot {slot} stayed active")


def replay(folder: Path, table: str, key: str) -> dict[Any, dict[str, Any]]:
    """The table as the raw zone says it is now: the snapshot, then every change and truncate
    in commit order. Fails if any change was written twice."""
    state: dict[Any, dict[str, Any]] = {}
    events: list[tuple[int, int, str, dict[str, Any]]] = []
    for manifest in manifests(folder):
        for event in manifest["cdc"]["truncates"]:
            if event["table"] == table:
                events.append((event["commit_lsn"], event["ordinal"], "truncate", {}))
    seen: set[tuple[int, int]] = set()
    for row in rows(folder, table):
        position = (row["cdc_commit_lsn"], row["cdc_ordinal"])
        if row["cdc_ordinal"] or row["cdc_xid"] is not None:  # snapshot rows share (lsn, 0)
            assert position not in seen, f"{table} change at {position} written twice"
            seen.add(position)
        events.append((*position, row["cdc_op"], row))
    for _, _, op, row in sorted(events, key=lambda e: (e[0], e[1])):
        if op == "truncate":
            state.clear()
        elif op == "delete":
            del state[row[key]]
        else:
            state[row[key]] = {k: v for k, v in row.items() if not k.startswith("cdc_")}
    return state
