"""Transform: raw Parquet batches to typed rows, a quarantine, the star schema and aggregates.

Entry point: ``run(session)``; see ``stage`` for the incrementality rules and ``outputs`` for
the processed-zone layout the load reads. ``run`` is imported on first use, so the load, which
needs only ``outputs``, does not load the engine (DuckDB) into its process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.transform.stage import run

__all__ = ["run"]


def __getattr__(name: str) -> Any:
    if name == "run":
        from pipeline.transform.stage import run

        return run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
