"""Against a real cloud: a preview of each dev stack must succeed with no pending errors.

Run with the Pulumi CLI logged in, cloud credentials in the environment and TRICLOUD_LIVE=1;
otherwise these skip (see tests/conftest.py).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.infra.conftest import ALL_STACKS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.cloud
@pytest.mark.parametrize("stack", [s for s in ALL_STACKS if s.startswith("dev-")])
def test_preview_of_dev_stack_succeeds(stack: str):
    subprocess.run(["pulumi", "stack", "select", "--create", stack], cwd=ROOT, check=True,
                   timeout=120)
    result = subprocess.run(["pulumi", "preview", "--diff", "--non-interactive", "--stack", stack],
                            cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
