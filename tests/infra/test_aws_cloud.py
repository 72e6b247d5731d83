"""What only a real AWS account can confirm; skipped cleanly without credentials and the CLI.

Mocks prove what the program *asks for*; these prove AWS *accepts* it: the engine version
exists in the region, the instance class is offered there, and a preview raises no errors.
They run with the Pulumi CLI on PATH, AWS credentials in the environment and TRICLOUD_LIVE=1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.infra.support_aws import AWS_STACKS

ROOT = Path(__file__).resolve().parents[2]
CREDENTIAL_VARS = ("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE")


def _live() -> str | None:
    """Why the live tests cannot run here, or None when they can."""
    if os.environ.get("TRICLOUD_LIVE") != "1":
        return "set TRICLOUD_LIVE=1 to run tests against a real AWS account"
    if not shutil.which("pulumi"):
        return "the Pulumi CLI is not on PATH"
    if not any(os.environ.get(v) for v in CREDENTIAL_VARS):
        return f"no AWS credentials ({', '.join(CREDENTIAL_VARS)})"
    return None


pytestmark = [pytest.mark.cloud, pytest.mark.skipif(_live() is not None, reason=str(_live()))]


def _pulumi(*args: str, timeout: int = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pulumi", *args, "--non-interactive"], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.parametrize("stack", AWS_STACKS)
def test_preview_is_accepted_by_aws(stack):
    """Engine version, instance class, Scheduler cron and ECR exclusion filters validate."""
    _pulumi("stack", "select", "--create", stack, timeout=120)
    result = _pulumi("preview", "--diff", "--stack", stack)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]

