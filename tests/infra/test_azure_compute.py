"""Azure compute: ACR without admin user, VNet-injected environment, the scheduled job."""

from __future__ import annotations

from components.contract import secret_variables
from pipeline.settings import platform_env_names
from tests.infra.support_azure import AZ, arm_id, platform_of

SECRET_ENV_VARS = {v.name for v in secret_variables("azure")}

CLOUD = "azure"
JOB = f"{AZ}:app:Job"


def job(plan):
    return plan.one(JOB).inputs


def test_registry_admin_user_and_anonymous_pull_are_off(plan):
    registry = plan.one(f"{AZ}:containerregistry:Registry").inputs
    assert registry["adminUserEnabled"] is False
    assert registry["anonymousPullEnabled"] is False


def test_image_is_built_from_pipeline_and_pushed_to_this_registry(plan):
    image = plan.one("docker-build:index:Image").inputs
    login = plan.one(f"{AZ}:containerregistry:Registry").inputs["registryName"] + ".azurecr.io"
    assert image["push"] is True
    assert image["dockerfile"]["location"].endswith("pipeline/Dockerfile")
    assert all(t.startswith(f"{login}/") for t in image["tags"])
    container = job(plan)["template"]["containers"][0]
    assert container["image"].startswith(f"{login}/tricloud-pipeline@sha256:")


def test_environment_is_internal_in_the_apps_subnet_and_logs_to_the_workspace(plan):
    env = plan.one(f"{AZ}:app:ManagedEnvironment").inputs
    assert env["vnetConfiguration"] == {
        "infrastructureSubnetId": arm_id(plan, f"{AZ}:network:Subnet", "apps"), "internal": True}
    logs = env["appLogsConfiguration"]
    assert logs["destination"] == "log-analytics"
    assert logs["logAnalyticsConfiguration"]["sharedKey"] == "[secret]"
    assert plan.one(JOB).inputs["environmentId"] == arm_id(plan, f"{AZ}:app:ManagedEnvironment")


def test_log_retention_comes_from_the_config(plan):
    workspace = plan.one(f"{AZ}:operationalinsights:Workspace").inputs
    assert workspace["retentionInDays"] == platform_of(plan.stack).monitoring.log_retention_days


def test_job_runs_on_the_stacks_schedule_with_timeout_and_retries(plan):
    pipeline = platform_of(plan.stack).pipeline
    config = job(plan)["configuration"]
    assert config["triggerType"] == "Schedule"
    assert config["scheduleTriggerConfig"]["cronExpression"] == pipeline.schedule
    assert config["replicaTimeout"] == pipeline.timeout_minutes * 60
    assert config["replicaRetryLimit"] == pipeline.retries


def test_job_resources_come_from_the_config(plan):
    pipeline = platform_of(plan.stack).pipeline
    resources = job(plan)["template"]["containers"][0]["resources"]
    assert resources == {"cpu": pipeline.cpu, "memory": f"{pipeline.memory_gb:g}Gi"}
    # The job is told the memory its container has (the engine's limit is half), and its source.
    env = {e["name"]: e.get("value") for e in job(plan)["template"]["containers"][0]["env"]}
    assert int(env["TRICLOUD_MEMORY_MB"]) == float(resources["memory"].removesuffix("Gi")) * 1024
    assert env["TRICLOUD_SOURCE"] == pipeline.source.value


def test_job_environment_is_exactly_the_contract(plan):
    env = job(plan)["template"]["containers"][0]["env"]
    names = [e["name"] for e in env]
    assert len(names) == len(set(names))
    assert set(names) == platform_env_names("azure")
    for e in env:
        if e["name"] in SECRET_ENV_VARS:
            assert set(e) == {"name", "secretRef"}, e
        else:
            assert set(e) == {"name", "value"} and e["value"], e


def test_secrets_are_key_vault_references_of_this_stacks_vault(plan):
    vault = plan.one(f"{AZ}:keyvault:Vault").inputs["vaultName"]
    secrets = job(plan)["configuration"]["secrets"]
    env = job(plan)["template"]["containers"][0]["env"]
    refs = {e["secretRef"] for e in env if "secretRef" in e}
    assert {s["name"] for s in secrets} == refs
    for s in secrets:
        assert "value" not in s
        assert s["keyVaultUrl"] == f"https://{vault}.vault.azure.net/secrets/{s['name']}"
