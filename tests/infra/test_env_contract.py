"""One environment contract: what each cloud's job definition sets is what the pipeline reads.

The dev stack of every cloud is synthesised under Pulumi's mocks, and the variable names are
read back from the resource each platform actually deploys (the ECS task definition's container
definitions, the Cloud Run v2 job, the Container Apps job), secrets included, then compared with
``pipeline.settings``: no variable missing, none the pipeline would not read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from components.contract import SECRET_ENV_VARS
from pipeline.settings import ENV_VARS, platform_env_names


def _aws(plan: Any) -> tuple[set[str], set[str]]:
    (box,) = json.loads(
        plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"])
    return {e["name"] for e in box["environment"]}, {s["name"] for s in box["secrets"]}


def _gcp(plan: Any) -> tuple[set[str], set[str]]:
    (box,) = plan.one("gcp:cloudrunv2/job:Job").inputs["template"]["template"]["containers"]
    plain = {e["name"] for e in box["envs"] if "value" in e}
    secret = {e["name"] for e in box["envs"] if "secretKeyRef" in e.get("valueSource", {})}
    assert len(plain) + len(secret) == len(box["envs"]), box["envs"]
    return plain, secret


def _azure(plan: Any) -> tuple[set[str], set[str]]:
    job = plan.one("azure-native:app:Job").inputs
    (box,) = job["template"]["containers"]
    plain = {e["name"] for e in box["env"] if "value" in e}
    secret = {e["name"] for e in box["env"] if "secretRef" in e}
    assert len(plain) + len(secret) == len(box["env"]), box["env"]
    assert {e["secretRef"] for e in box["env"] if "secretRef" in e} == \
        {s["name"] for s in job["configuration"]["secrets"]}
    return plain, secret


READERS: dict[str, Callable[[Any], tuple[set[str], set[str]]]] = {
    "aws": _aws, "gcp": _gcp, "azure": _azure}


@pytest.mark.parametrize("cloud", sorted(READERS))
def test_job_sets_exactly_the_variables_the_pipeline_reads(synth, cloud):
    plain, secret = READERS[cloud](synth(f"dev-{cloud}"))

    expected = platform_env_names(cloud)
    found = plain | secret
    assert found == expected, (
        f"missing: {sorted(expected - found)}, unused: {sorted(found - expected)}")
    assert secret == set(SECRET_ENV_VARS)
    assert not plain & secret


def test_every_platform_variable_is_set_by_some_cloud_and_secrets_only_by_reference():
    by_some_cloud = set().union(*(platform_env_names(c) for c in READERS))
    for var in ENV_VARS:
        assert (var.name in by_some_cloud) == (var.required_in_cloud or bool(var.set_on))
        assert set(var.set_on) <= set(READERS), var
    assert platform_env_names("azure") - platform_env_names("aws") == {"AZURE_CLIENT_ID"}
