"""Fault injection for the crash tests: stop a child process dead at a named point of a stage.

The product has no hook for this: ``arm`` wraps the stage's own functions in the child process
that the test starts, and ``os._exit`` skips every ``finally`` and atexit handler, like a killed
container, so the test sees exactly what a real crash leaves behind.

Load points (``<point>`` or ``<point>@<batch_id>`` to pick a batch; the first match fires):

- ``migrated``: after the schema migrations, before any batch
- ``staged:<table>``: rows COPYed into the staging table, transaction still open
- ``upserted:<table>``: upsert and ledger row written, just before COMMIT
- ``committed:<table>``: right after the COMMIT of that table's batch
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

CRASH_EXIT_CODE = 86


def crash() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(CRASH_EXIT_CODE)


def _after(owner: Any, name: str, fires: Callable[..., bool]) -> None:
    """Replace ``owner.name`` with a wrapper that crashes once the call returns and ``fires``."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if fires(*args, **kwargs):
            crash()
        return result

    setattr(owner, name, wrapper)


def arm_load(crash_at: str) -> None:
    """Make the load crash at ``crash_at`` (see the module docstring) in this process."""
    from adbc_driver_manager import dbapi

    from pipeline import pgcopy
    from pipeline.warehouse import load

    point, _, batch = crash_at.partition("@")
    kind, _, table = point.partition(":")
    current: dict[str, str] = {}

    def ours(batch_id: str, name: str) -> bool:
        return name == table and (not batch or batch == batch_id)

    if kind == "migrated":
        _after(load, "migrate", lambda *a, **k: True)
        return
    original_load_table = load._load_table

    def track(conn: Any, batch_id: str, name: str, data: Any) -> Any:
        current.update(batch=batch_id, table=name)
        return original_load_table(conn, batch_id, name, data)

    load._load_table = track
    if kind == "committed":
        _after(load, "_load_table", lambda conn, b, name, data: ours(b, name))
    elif kind == "staged":
        _after(pgcopy, "stage", lambda *a, **k: ours(current["batch"], current["table"]))
    elif kind == "upserted":
        def ledger_written(cur: Any, query: Any, params: Any = None, **kwargs: Any) -> bool:
            return "load_ledger (batch_id" in str(query) and params is not None \
                and ours(params[0], params[1])

        _after(dbapi.Cursor, "execute", ledger_written)
    else:
        raise ValueError(f"unknown crash point {crash_at!r}")
