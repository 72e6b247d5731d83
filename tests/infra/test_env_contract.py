"""One environment contract: what each cloud's job definition sets is what the pipeline reads.

The dev stack of every cloud is synthesised under Pulumi's mocks, and the variable names are
read back from the resource each platform actually deploys (the ECS task definition's container
definitions, the Cloud Run v2 job, the Container Apps job), secrets included, then compared with
``pipeline.settings``: no variable missing, none the pipeline would not read. The declaration
itself is checked too: every variable a platform sets names the ``JobData`` field that feeds it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from components.contract import (
    JOB_DATA_NAMES,
    OUTPUT_NAMES,
    JobData,
    job_environment,
    secret_variables,
)
from pipeline.settings import ENV_VARS, Settings, platform_env_names
from tests.infra.conftest import ALL_STACKS
from tests.infra.support import platform_of


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


def _aws_values(plan: Any) -> dict[str, str]:
    (box,) = json.loads(
        plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs["containerDefinitions"])
    return {e["name"]: e["value"] for e in box["environment"]}


def _gcp_values(plan: Any) -> dict[str, str]:
    (box,) = plan.one("gcp:cloudrunv2/job:Job").inputs["template"]["template"]["containers"]
    return {e["name"]: e["value"] for e in box["envs"] if "value" in e}


def _azure_values(plan: Any) -> dict[str, str]:
    (box,) = plan.one("azure-native:app:Job").inputs["template"]["containers"]
    return {e["name"]: e["value"] for e in box["env"] if "value" in e}


# The plain variables each cloud's job is given, by name.
VALUES: dict[str, Callable[[Any], dict[str, str]]] = {
    "aws": _aws_values, "gcp": _gcp_values, "azure": _azure_values}


@pytest.mark.parametrize("cloud", sorted(READERS))
def test_job_sets_exactly_the_variables_the_pipeline_reads(synth, cloud):
    plain, secret = READERS[cloud](synth(f"dev-{cloud}"))

    expected = platform_env_names(cloud)
    found = plain | secret
    assert found == expected, (
        f"missing: {sorted(expected - found)}, unused: {sorted(found - expected)}")
    assert secret == {v.name for v in secret_variables(cloud)}
    assert not plain & secret


def test_every_platform_variable_is_set_by_some_cloud_and_secrets_only_by_reference():
    by_some_cloud = set().union(*(platform_env_names(c) for c in READERS))
    for var in ENV_VARS:
        assert (var.name in by_some_cloud) == (var.required_in_cloud or bool(var.set_on))
        assert set(var.set_on) <= set(READERS), var
    assert platform_env_names("azure") - platform_env_names("aws") == {"AZURE_CLIENT_ID"}


def test_every_platform_variable_names_the_job_data_that_feeds_it():
    for var in ENV_VARS:
        fed = var.required_in_cloud or bool(var.set_on)
        assert (var.output in JOB_DATA_NAMES) == fed, var
    # Everything the job reads from the platform is also exported, except the constants and
    # the Azure identity wiring.
    exported = {v.output for v in ENV_VARS if v.output} - set(OUTPUT_NAMES)
    assert exported == {"source_kind", "warehouse_sslmode", "environment", "identity_client_id",
                        "memory_mb"}


def _data(**overrides: Any) -> JobData:
    return JobData(**{
        "raw_storage_uri": "s3://r", "processed_storage_uri": "s3://p", "warehouse_host": "h",
        "warehouse_port": 5432, "warehouse_database": "d", "warehouse_user": "u",
        "warehouse_secret_ref": "arn:pw", "source_secret_ref": "arn:src", "environment": "dev",
        "memory_mb": 2048, **overrides})


def test_job_environment_feeds_each_variable_from_its_output():
    env = job_environment("gcp", _data())
    assert env.plain == {
        "TRICLOUD_SOURCE": "postgres", "TRICLOUD_RAW_URI": "s3://r",
        "TRICLOUD_PROCESSED_URI": "s3://p", "TRICLOUD_WAREHOUSE_HOST": "h",
        "TRICLOUD_WAREHOUSE_DB": "d", "TRICLOUD_WAREHOUSE_USER": "u",
        "TRICLOUD_WAREHOUSE_PORT": "5432", "TRICLOUD_WAREHOUSE_SSLMODE": "require",
        "TRICLOUD_ENVIRONMENT": "dev", "TRICLOUD_MEMORY_MB": "2048"}
    assert set(env.plain) == {v.name for v in ENV_VARS if v.set_by("gcp") and not v.secret}
    assert job_environment("gcp", _data(source_kind="cdc")).plain["TRICLOUD_SOURCE"] == "cdc"
    assert env.secrets == {"TRICLOUD_SOURCE_URL": "arn:src",
                           "TRICLOUD_WAREHOUSE_PASSWORD": "arn:pw"}
    overridden = job_environment("aws", _data(),
                                 secret_refs={"warehouse_secret_ref": "x:password::"})
    assert overridden.secrets["TRICLOUD_WAREHOUSE_PASSWORD"] == "x:password::"


def test_a_cloud_that_does_not_supply_a_declared_value_fails():
    with pytest.raises(ValueError, match="identity_client_id for AZURE_CLIENT_ID"):
        job_environment("azure", _data())
    env = job_environment("azure", _data(identity_client_id="client"))
    assert env.plain["AZURE_CLIENT_ID"] == "client"


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_each_job_is_told_its_memory_and_source_from_the_stack_config(synth, stack):
    """The job's memory reaches the transform engine's limit, and its source reaches ingest:
    both from the stack config, on every cloud, in every environment."""
    plan = synth(stack)
    pipeline = platform_of(stack).pipeline
    values = VALUES[plan.cloud](plan)
    assert values["TRICLOUD_MEMORY_MB"] == str(int(pipeline.memory_gb * 1024))
    assert values["TRICLOUD_SOURCE"] == pipeline.source.value == "postgres"
    settings = Settings.from_env({**values, "TRICLOUD_SOURCE_URL": "postgresql://h/s"})
    assert settings.engine.memory_mb == int(pipeline.memory_gb * 1024)


@pytest.mark.parametrize("cloud", sorted(VALUES))
def test_a_stack_that_chooses_cdc_changes_only_its_jobs_source(synth, cloud):
    """``pipeline.source: cdc`` reaches the job as TRICLOUD_SOURCE and changes nothing else: the
    slot and publication keep the pipeline's defaults, and no resource is added or removed."""
    from config.stacks import find_stack_file
    from tricloud.synth import synthesize_changed

    base = synth(f"dev-{cloud}")
    changed = synthesize_changed(find_stack_file(f"dev-{cloud}"), {"pipeline.source": "cdc"})

    before, after = VALUES[cloud](base), VALUES[cloud](changed)
    assert after.pop("TRICLOUD_SOURCE") == "cdc"
    assert before.pop("TRICLOUD_SOURCE") == "postgres"
    assert before == after
    assert [r.urn for r in changed.resources] == [r.urn for r in base.resources]
