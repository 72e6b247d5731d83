"""The cdc source's settings: its slot and publication, when to warn about lag, batch size."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.settings.values import Reader
from pipeline.settings.variables import (
    CDC_BATCH_CHANGES,
    CDC_LAG_WARN_MB,
    CDC_LAG_WARN_SECONDS,
    CDC_PUBLICATION,
    CDC_SLOT,
    EnvVar,
)

# The server's rule for replication slot names (publications follow it too, which keeps the
# pgoutput ``publication_names`` option free of quoting).
SLOT_NAME = re.compile(r"^[a-z0-9_]{1,63}$")


def _count(reader: Reader, var: EnvVar, default: int, unit: str) -> int:
    raw = reader.get(var)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        reader.problem(var, f"is not a positive whole number of {unit}", raw)
        return default
    return int(raw)


@dataclass(frozen=True)
class CdcConfig:
    """The cdc source's slot and publication, when to warn about its lag, and its batch size.

    The names default to what ``pipeline cdc setup`` creates; the thresholds exist because a
    slot keeps WAL on the source for as long as the pipeline does not read it.
    """

    slot: str = "tricloud"
    publication: str = "tricloud"
    lag_warn_bytes: int = 1024 * 1024 * 1024
    lag_warn_seconds: int = 7200
    batch_changes: int = 100_000

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CdcConfig:
        """Parse the cdc variables alone; raises every problem found."""
        reader = Reader(env)
        config = cls.read(reader)
        reader.check()
        return config

    @classmethod
    def read(cls, reader: Reader) -> CdcConfig:
        names = {}
        for var, default in ((CDC_SLOT, cls.slot), (CDC_PUBLICATION, cls.publication)):
            value = reader.get(var) or default
            if not SLOT_NAME.match(value):
                reader.problem(var, "is not a slot or publication name; use a-z, 0-9 and _ "
                               "(at most 63 characters)", value)
                value = default
            names[var] = value
        return cls(
            slot=names[CDC_SLOT],
            publication=names[CDC_PUBLICATION],
            lag_warn_bytes=_count(reader, CDC_LAG_WARN_MB, cls.lag_warn_bytes >> 20, "MiB") << 20,
            lag_warn_seconds=_count(reader, CDC_LAG_WARN_SECONDS, cls.lag_warn_seconds,
                                    "seconds"),
            batch_changes=_count(reader, CDC_BATCH_CHANGES, cls.batch_changes, "changes"),
        )
