"""The transform engine's resources: the job's memory and where the engine spills."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings.problems import SettingsError
from pipeline.settings.variables import MEMORY_MB, SPILL_DIR


@dataclass(frozen=True)
class EngineConfig:
    """The transform engine's resources: the job's memory (None: found from the cgroup) and
    where to spill (None: the system temporary folder)."""

    memory_mb: int | None = None
    spill_dir: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EngineConfig:
        memory = env.get(MEMORY_MB.name) or None
        if memory is not None and (not memory.isdigit() or int(memory) < 256):
            raise SettingsError(
                f"{MEMORY_MB.name}={memory!r} is not a memory size; use the "
                "job's memory in MiB, at least 256, e.g. 4096"
            )
        spill = env.get(SPILL_DIR.name) or None
        return cls(int(memory) if memory else None, Path(spill) if spill else None)
