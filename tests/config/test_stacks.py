"""The committed stack files: all valid, minimal, and with address ranges that never clash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from config.defaults import repeated_defaults
from config.enums import Cloud, Environment
from config.errors import ConfigError, StackSetError
from config.loader import PLATFORM_KEY, load_stack_file
from config.stacks import STACKS_DIR, load_all, stack_files


def test_every_stack_file_is_valid_and_covers_each_cloud_in_dev_and_prod():
    stacks = load_all()
    assert len(stacks) >= 7
    pairs = {(s.platform.cloud, s.platform.environment) for s in stacks}
    for cloud in Cloud:
        assert {(cloud, Environment.DEV), (cloud, Environment.PROD)} <= pairs
    regions = {}
    for s in stacks:
        regions.setdefault((s.platform.cloud, s.platform.environment), set()).add(s.platform.region)
    assert any(len(r) > 1 for r in regions.values()), "one cloud should have a second region"


@pytest.mark.parametrize("path", stack_files(), ids=lambda p: p.name)
def test_stack_files_hold_only_what_differs_from_their_environment(path: Path):
    platform = yaml.safe_load(path.read_text())["config"][PLATFORM_KEY]
    assert repeated_defaults(platform, Environment(platform["environment"])) == []


def test_repeated_defaults_are_found():
    raw = {"environment": "prod", "database": {"size": "medium", "storage_gb": 999}}
    assert repeated_defaults(raw, Environment.PROD) == ["database.size"]


@pytest.mark.parametrize("path", stack_files(), ids=lambda p: p.name)
def test_stack_name_matches_its_cloud_and_environment(path: Path):
    stack = load_stack_file(path)
    env, cloud, *_ = stack.name.split("-")
    assert (env, cloud) == (stack.platform.environment.value, stack.platform.cloud.value)


def test_overlapping_ranges_name_both_stack_files(tmp_path: Path):
    for path in stack_files():
        shutil.copy(path, tmp_path)
    clash = tmp_path / "Pulumi.staging-gcp.yaml"
    clash.write_text((STACKS_DIR / "Pulumi.dev-gcp.yaml").read_text()
                     .replace("environment: dev", "environment: staging")
                     .replace("10.20.0.0/16", "10.20.128.0/17"))
    with pytest.raises(StackSetError) as info:
        load_all(tmp_path)
    message = str(info.value)
    assert "Pulumi.dev-gcp.yaml and Pulumi.staging-gcp.yaml" in message
    assert "10.20.0.0/16 overlaps 10.20.128.0/17" in message


def test_plain_text_source_url_is_an_error_that_says_how_to_set_it(tmp_path: Path):
    path = tmp_path / "Pulumi.dev-aws.yaml"
    document = yaml.safe_load((STACKS_DIR / "Pulumi.dev-aws.yaml").read_text())
    document["config"]["tricloud:sourceDatabaseUrl"] = "postgresql://app:pw@db:5432/sales"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(ConfigError) as info:
        load_stack_file(path)
    text = str(info.value)
    assert "pulumi config set --secret tricloud:sourceDatabaseUrl" in text
    assert "pw@" not in text


def test_encrypted_source_url_is_accepted(tmp_path: Path):
    path = tmp_path / "Pulumi.dev-aws.yaml"
    document = yaml.safe_load((STACKS_DIR / "Pulumi.dev-aws.yaml").read_text())
    document["config"]["tricloud:sourceDatabaseUrl"] = {"secure": "v1:abc:def"}
    path.write_text(yaml.safe_dump(document))
    assert load_stack_file(path).secret_keys == {"tricloud:sourceDatabaseUrl"}


def test_misnamed_and_unknown_keys_are_reported(tmp_path: Path):
    path = tmp_path / "Pulumi.dev-aws.yaml"
    path.write_text("config:\n  tricloud:platfrom: {}\n")
    with pytest.raises(ConfigError) as info:
        load_stack_file(path)
    keys = {p.key for p in info.value.problems}
    assert {"tricloud:platfrom", PLATFORM_KEY} <= keys
    bad_name = tmp_path / "dev.yaml"
    bad_name.write_text("config: {}\n")
    with pytest.raises(ConfigError, match=r"Pulumi\.<stack>\.yaml"):
        load_stack_file(bad_name)


@pytest.mark.parametrize("command", ["validate", "plan", "check", "cost"])
def test_one_stack_is_checked_against_every_stack_file(tmp_path: Path, command: str):
    import subprocess
    import sys

    for path in stack_files():
        shutil.copy(path, tmp_path)
    (tmp_path / "Pulumi.staging-aws.yaml").write_text(
        (STACKS_DIR / "Pulumi.dev-aws.yaml").read_text()
        .replace("environment: dev", "environment: staging")
        .replace("10.10.0.0/16", "10.10.128.0/17"))

    proc = subprocess.run(
        [sys.executable, "-m", "tricloud.cli", command, "--stack", "staging-aws",
         "--stacks-dir", str(tmp_path)],
        cwd=STACKS_DIR.parent, capture_output=True, text=True, timeout=300, check=False)

    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Pulumi.dev-aws.yaml and Pulumi.staging-aws.yaml: network.cidr 10.10.0.0/16 " \
        "overlaps 10.10.128.0/17" in proc.stderr
    assert "synthesising" not in proc.stderr  # refused before any synthesis
