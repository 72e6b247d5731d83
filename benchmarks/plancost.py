"""The offline plan's cost: seconds to synthesise stacks, and which cloud SDKs that imported.

Each measurement runs in a fresh interpreter (``benchmarks.stage synth``), so the figure
includes importing the chosen cloud's Pulumi SDK, the dominant cost, and ``sys.modules``
shows exactly which SDKs one synthesis pulled in.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STACKS = PROJECT_ROOT / "stacks"


def stack_files() -> list[Path]:
    return sorted(STACKS.glob("Pulumi.*.yaml"))


def dev_stack(cloud: str) -> Path:
    return STACKS / f"Pulumi.dev-{cloud}.yaml"


def synthesise(stack: Path) -> dict[str, Any]:
    """Synthesise ``stack`` (or every stack file when it is named ``all``)."""
    started = time.perf_counter()
    from components.registry import PACKAGES, sdk_module
    from tricloud.synth import synthesize

    paths = stack_files() if stack.name == "all" else [stack]
    resources = sum(len(synthesize(p).resources) for p in paths)
    seconds = time.perf_counter() - started
    return {"rows": resources, "work_seconds": seconds, "stacks": len(paths),
            "sdks": sorted(m for m in (sdk_module(c) for c in PACKAGES) if m in sys.modules)}
