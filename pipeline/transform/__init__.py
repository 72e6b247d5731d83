"""Transform: raw Parquet batches to typed rows, a quarantine, the star schema and aggregates.

Entry point: ``run(settings)``; see ``stage`` for the incrementality rules and ``outputs`` for
the processed-zone layout the load reads.
"""

from pipeline.transform.stage import run

__all__ = ["run"]
