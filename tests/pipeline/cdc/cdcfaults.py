"""Crash points of the cdc ingest, armed in a child process the test starts (no product hook).

- ``decoded``: the slot's changes were peeked and decoded, nothing written
- ``parquet``: the first Parquet file of the batch was written, no manifest
- ``manifest``: the batch's manifest was committed, the slot not advanced
- ``advance``: just before the slot is advanced
"""

from __future__ import annotations

import functools
from typing import Any

from tests.pipeline.faults import _after, crash


def _before(owner: Any, name: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        crash()
        return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def arm(point: str) -> None:
    from pipeline import raw
    from pipeline.source.cdc.slot import SlotReader

    if point == "decoded":
        _after(SlotReader, "peek", lambda *a, **k: True)
    elif point == "parquet":
        _after(raw.TableParts, "flush", lambda parts: bool(parts.files))
    elif point == "manifest":
        _after(raw, "write_manifest", lambda *a, **k: True)
    elif point == "advance":
        _before(SlotReader, "advance")
    else:
        raise ValueError(f"unknown crash point {point!r}")
