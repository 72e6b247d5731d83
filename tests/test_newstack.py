"""``tricloud new-stack``: a valid stack at once, and clear refusals (exit 2)."""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.enums import Cloud, Environment
from config.loader import SOURCE_URL_KEY, load_stack_file
from config.stacks import STACKS_DIR, load_all
from tricloud.newstack import NewStack, NewStackError, block_ranges, create, next_free_range

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def stacks(tmp_path: Path) -> Path:
    copy = tmp_path / "stacks"
    shutil.copytree(STACKS_DIR, copy)
    return copy


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tricloud.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_new_gcp_region_validates_synthesises_and_passes_the_guardrails(stacks: Path):
    from tricloud.guardrails import Severity, check_plan
    from tricloud.synth import synthesize

    result = run("new-stack", "--cloud", "gcp", "--region", "europe-west4", "--env", "prod",
                 "--project", "tricloud-prod-7310", "--alert-email", "oncall@example.com",
                 "--stacks-dir", str(stacks))
    assert result.returncode == 0, result.stderr
    path = stacks / "Pulumi.prod-gcp-europe-west4.yaml"
    assert f"wrote {path} (network.cidr 10.22.0.0/16)" in result.stdout
    stack = load_stack_file(path)
    assert stack.platform.network.cidr == ipaddress.IPv4Network("10.22.0.0/16")
    assert stack.repeated_defaults == ()
    assert len(load_all(stacks)) == 8  # the whole set still validates: no overlap
    raw = yaml.safe_load(path.read_text())["config"]
    assert set(raw) == {"tricloud:platform"}  # the secret is a comment, never a value
    assert set(raw["tricloud:platform"]) == {"cloud", "region", "environment", "gcp", "network",
                                             "alerts"}
    assert f"pulumi config set --secret {SOURCE_URL_KEY}" in path.read_text()
    plan = synthesize(path)
    assert plan.stack == "prod-gcp-europe-west4" and plan.region == "europe-west4"
    assert len(plan.resources) > 40
    mandatory = [v for v in check_plan(plan) if v.severity is Severity.MANDATORY]
    assert mandatory == []


@pytest.mark.parametrize("cloud", list(Cloud))
def test_each_cloud_gets_the_lowest_free_range_of_its_block(stacks: Path, cloud: Cloud):
    project = "my-project-1" if cloud is Cloud.GCP else None
    path, cidr = create(NewStack(cloud, sorted(_regions(cloud))[0], Environment.STAGING, project),
                        stacks)
    expected = {Cloud.AWS: "10.13.0.0/16", Cloud.GCP: "10.22.0.0/16", Cloud.AZURE: "10.32.0.0/16"}
    assert str(cidr) == expected[cloud]
    assert path.name == f"Pulumi.staging-{cloud}-{sorted(_regions(cloud))[0]}.yaml"
    assert load_stack_file(path).platform.environment is Environment.STAGING


def _regions(cloud: Cloud) -> frozenset[str]:
    from config.regions import REGIONS

    return REGIONS[cloud]


def test_a_gap_is_reused_and_other_clouds_ranges_count():
    taken = [ipaddress.IPv4Network(n) for n in ("10.10.0.0/16", "10.12.0.0/16", "10.0.0.0/12")]
    assert str(next_free_range(Cloud.AWS, taken)) == "10.16.0.0/16"  # 10.0/12 covers 10.10-15
    assert str(next_free_range(Cloud.AZURE, taken[:2])) == "10.30.0.0/16"
    assert [str(n) for n in block_ranges(Cloud.GCP)][::9] == ["10.20.0.0/16", "10.29.0.0/16"]


def test_refuses_an_unknown_region_with_close_matches(stacks: Path):
    result = run("new-stack", "--cloud", "gcp", "--region", "europe-west44", "--env", "prod",
                 "--project", "tricloud-prod-7310", "--stacks-dir", str(stacks))
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: region 'europe-west44' is not a region the platform supports on GCP")
    assert "close matches on GCP: europe-west4" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_region_of_another_cloud_is_named_as_such(stacks: Path):
    result = run("new-stack", "--cloud", "aws", "--region", "europe-west2", "--env", "dev",
                 "--stacks-dir", str(stacks))
    assert result.returncode == 2
    assert result.stderr.startswith("error: region 'europe-west2' is a GCP region and this "
                                    "stack's cloud is AWS; close matches on AWS: eu-west-2")


def test_refuses_an_existing_stack_and_writes_nothing(stacks: Path):
    existing = stacks / "Pulumi.prod-aws-us-east-1.yaml"
    before = existing.read_text()
    result = run("new-stack", "--cloud", "aws", "--region", "us-east-1", "--env", "prod",
                 "--stacks-dir", str(stacks))
    assert result.returncode == 2
    assert f"{existing} already exists" in result.stderr
    assert existing.read_text() == before


def test_refuses_an_exhausted_address_plan(stacks: Path):
    for i, network in enumerate(block_ranges(Cloud.AZURE)):
        (stacks / f"Pulumi.dev-azure-x{i}.yaml").write_text(yaml.safe_dump({"config": {
            "tricloud:platform": {"cloud": "azure", "region": "uksouth", "environment": "dev",
                                  "network": {"cidr": str(network)}}}}))
    for path in (stacks / "Pulumi.dev-azure.yaml", stacks / "Pulumi.prod-azure.yaml"):
        path.unlink()
    with pytest.raises(NewStackError, match=r"azure address block 10\.30\.0\.0-10\.39\.255\.255 "
                                            r"is exhausted"):
        create(NewStack(Cloud.AZURE, "westeurope", Environment.DEV), stacks)
    assert not (stacks / "Pulumi.dev-azure-westeurope.yaml").exists()


@pytest.mark.parametrize(("cloud", "project", "message"), [
    (Cloud.GCP, None, "--project (the GCP project id) is required for a gcp stack"),
    (Cloud.AWS, "my-project-1", "--project is for gcp stacks only"),
    (Cloud.GCP, "Not_A_Project", "gcp.project = 'Not_A_Project': 6-30 lowercase"),
])
def test_refuses_a_missing_misplaced_or_bad_project(stacks: Path, cloud, project, message):
    region = sorted(_regions(cloud))[0]
    with pytest.raises(NewStackError, match=message.replace("(", r"\(").replace(")", r"\)")):
        create(NewStack(cloud, region, Environment.DEV, project), stacks)
    assert len(list(stacks.glob("*.yaml"))) == 7
