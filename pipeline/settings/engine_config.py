"""The transform engine's resources: the job's memory and where the engine spills."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings.values import Reader
from pipeline.settings.variables import MEMORY_MB, SPILL_DIR


@dataclass(frozen=True)
class EngineConfig:
    """The transform engine's resources: the job's memory (None: found from the cgroup) and
    where to spill (None: the system temporary folder)."""

    memory_mb: int | None = None
    spill_dir: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EngineConfig:
        """Parse the engine variables alone; raises every problem found."""
        reader = Reader(env)
        config = cls.read(reader)
        reader.check()
        return config

    @classmethod
    def read(cls, reader: Reader) -> EngineConfig:
        return cls(reader.memory_mb(MEMORY_MB), reader.folder(SPILL_DIR))
