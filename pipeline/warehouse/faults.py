"""Fault injection for the crash tests: stop the process dead at a named point of the load.

The point is passed explicitly (``load.run(..., crash_at=...)``); the CLI may take it from
``TRICLOUD_CRASH_AT`` via ``from_env`` at its entry. Nothing reads the environment on import.
``os._exit`` skips every ``finally`` and atexit handler, like a killed container, so the test
sees exactly what a real crash leaves behind.

Points (``<point>`` or ``<point>@<batch_id>`` to pick a batch; the first match fires):

- ``migrated``: after the schema migrations, before any batch
- ``staged:<table>``: rows COPYed into the staging table, transaction still open
- ``upserted:<table>``: upsert and ledger row written, just before COMMIT
- ``committed:<table>``: right after the COMMIT of that table's batch
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

CRASH_EXIT_CODE = 86
ENV_VAR = "TRICLOUD_CRASH_AT"


def from_env(env: Mapping[str, str]) -> str | None:
    """The crash point the CLI was asked for, if any (tests only; never set in production)."""
    return env.get(ENV_VAR) or None


def checkpoint(crash_at: str | None, point: str, batch_id: str | None = None) -> None:
    """Exit immediately if ``crash_at`` names this point (and, when given, this batch)."""
    if not crash_at:
        return
    name, _, batch = crash_at.partition("@")
    if name == point and (not batch or batch == batch_id):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(CRASH_EXIT_CODE)
