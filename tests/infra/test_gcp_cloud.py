"""What only a real GCP project can show; skipped cleanly without the CLIs and credentials.

Marked ``cloud``: tests/conftest.py skips them unless the Pulumi CLI is on PATH and
``TRICLOUD_LIVE=1`` (after ``pulumi login`` and ``gcloud auth application-default login``).
The dev preview is tests/infra/test_live.py; here the prod preview and deployed-state checks.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from components.contract import OUTPUT_NAMES
from config.stacks import STACKS_DIR
from tests.infra.support_gcp import GCP_STACKS, platform_of

pytestmark = pytest.mark.cloud


@pytest.fixture
def cloud():
    """The suite skips these without the Pulumi CLI; gcloud is needed only for live reads."""
    if shutil.which("gcloud") is None:
        pytest.skip("needs gcloud on PATH")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=900,
                          cwd=STACKS_DIR.parent, check=False)


@pytest.mark.parametrize("stack", [s for s in GCP_STACKS if not s.startswith("dev-")])
def test_preview_is_accepted_by_the_real_provider(stack):
    """Provider-side validation (tier and edition, flags, IAM roles) that mocks cannot do."""
    result = run("pulumi", "preview", "--stack", stack, "--non-interactive", "--diff")
    assert result.returncode == 0, result.stderr[-4000:]


@pytest.mark.parametrize("stack", GCP_STACKS)
def test_deployed_outputs_are_the_contract(stack):
    result = run("pulumi", "stack", "output", "--stack", stack, "--json")
    if result.returncode != 0:
        pytest.skip(f"{stack} is not deployed: {result.stderr.strip()[:200]}")
    outputs = json.loads(result.stdout)
    assert set(outputs) == set(OUTPUT_NAMES) and all(outputs.values())


@pytest.mark.parametrize("stack", GCP_STACKS)
def test_deployed_instance_has_no_public_address(cloud, stack):
    project = platform_of(stack).gcp.project
    listing = run("gcloud", "sql", "instances", "list", "--project", project, "--format=json",
                  "--filter=labels.stack=" + stack)
    if listing.returncode != 0 or not json.loads(listing.stdout or "[]"):
        pytest.skip(f"{stack} has no deployed instance in {project}")
    for instance in json.loads(listing.stdout):
        assert instance["settings"]["ipConfiguration"]["ipv4Enabled"] is False
        assert {a["type"] for a in instance.get("ipAddresses", [])} <= {"PRIVATE"}
