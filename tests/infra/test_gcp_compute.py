"""Registry, image, Cloud Run job, scheduler and secrets: the job gets exactly the contract."""

from __future__ import annotations

import pytest

from components.contract import secret_variables
from components.gcp.job import cpu_limit, memory_limit
from pipeline.settings import ENV_VARS
from tests.infra.support_gcp import by_name, is_prod, platform_of

CLOUD = "gcp"

SECRET_ENV_VARS = {v.name for v in secret_variables("gcp")}

JOB = "gcp:cloudrunv2/job:Job"
PLAIN_ENV = {"TRICLOUD_SOURCE", "TRICLOUD_RAW_URI", "TRICLOUD_PROCESSED_URI",
             "TRICLOUD_WAREHOUSE_HOST", "TRICLOUD_WAREHOUSE_PORT", "TRICLOUD_WAREHOUSE_DB",
             "TRICLOUD_WAREHOUSE_USER", "TRICLOUD_WAREHOUSE_SSLMODE", "TRICLOUD_ENVIRONMENT",
             "TRICLOUD_MEMORY_MB"}


def task(plan):
    return plan.one(JOB).inputs["template"]["template"]


def container(plan):
    (only,) = task(plan)["containers"]
    return only


def envs(plan):
    return {e["name"]: e for e in container(plan)["envs"]}


def test_repository_is_docker_with_cleanup_policies(plan):
    repo = plan.one("gcp:artifactregistry/repository:Repository").inputs
    assert repo["format"] == "DOCKER"
    assert repo["location"] == platform_of(plan.stack).region
    assert repo["cleanupPolicyDryRun"] is False
    actions = {p["action"] for p in repo["cleanupPolicies"]}
    assert actions == {"KEEP", "DELETE"}


def test_repository_uses_the_stack_key_in_prod_and_its_agent_holds_it(plan):
    repo = plan.one("gcp:artifactregistry/repository:Repository")
    if not is_prod(plan):
        assert "kmsKeyName" not in repo.inputs
        return
    key = plan.one("gcp:kms/cryptoKey:CryptoKey")
    assert repo.inputs["kmsKeyName"].endswith(f"/cryptoKeys/{key.name}")
    grant = by_name(plan, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
                    "artifact-registry-agent")
    agent = plan.one("gcp:projects/serviceIdentity:ServiceIdentity").inputs
    assert agent["service"] == "artifactregistry.googleapis.com"
    assert grant.inputs["member"].endswith("@gcp-sa-artifactregistry.iam.gserviceaccount.com")


def test_image_is_built_from_pipeline_and_pushed_to_the_repository(plan):
    image = plan.one("docker-build:index:Image").inputs
    assert image["push"] is True
    assert image["dockerfile"]["location"].endswith("pipeline/Dockerfile")
    assert [t.rsplit(":", 1)[0] for t in image["tags"]] == [plan.outputs["image_repository"]]


def test_job_runs_the_pushed_image_by_digest(plan):
    assert container(plan)["image"].startswith(plan.outputs["image_repository"] + "@sha256:")


def test_job_runs_as_its_own_service_account(plan):
    account = by_name(plan, "gcp:serviceaccount/account:Account", "job").inputs["accountId"]
    assert task(plan)["serviceAccount"].startswith(f"{account}@")


def test_job_egress_goes_through_the_vpc(plan):
    vpc = task(plan)["vpcAccess"]
    subnet = plan.one("gcp:compute/subnetwork:Subnetwork").name
    assert vpc["egress"] == "ALL_TRAFFIC"
    (interface,) = vpc["networkInterfaces"]
    assert interface["subnetwork"].endswith(f"/subnetworks/{subnet}")


def test_environment_is_exactly_the_contract(plan):
    assert set(envs(plan)) == PLAIN_ENV | SECRET_ENV_VARS
    required = {v.name for v in ENV_VARS if v.required_in_cloud}
    assert required <= set(envs(plan))
    assert set(envs(plan)) <= {v.name for v in ENV_VARS}


def test_environment_values_come_from_the_outputs(plan):
    env = {k: e.get("value") for k, e in envs(plan).items()}
    out = plan.outputs
    assert env["TRICLOUD_RAW_URI"] == out["raw_storage_uri"]
    assert env["TRICLOUD_PROCESSED_URI"] == out["processed_storage_uri"]
    assert env["TRICLOUD_WAREHOUSE_HOST"] == out["warehouse_host"]
    assert env["TRICLOUD_WAREHOUSE_PORT"] == str(out["warehouse_port"])
    assert env["TRICLOUD_WAREHOUSE_SSLMODE"] == "require"
    assert env["TRICLOUD_ENVIRONMENT"] == plan.environment
    # The job is told the memory its container has (the engine's limit is half), and its source.
    limits = container(plan)["resources"]["limits"]
    assert f'{env["TRICLOUD_MEMORY_MB"]}Mi' == limits["memory"]
    assert env["TRICLOUD_SOURCE"] == platform_of(plan.stack).pipeline.source.value


def test_secrets_come_from_secret_manager_not_values(plan):
    env = envs(plan)
    refs = {env[name]["valueSource"]["secretKeyRef"]["secret"] for name in SECRET_ENV_VARS}
    assert refs == {plan.outputs["warehouse_secret_ref"], plan.outputs["source_secret_ref"]}
    assert all("value" not in env[name] for name in SECRET_ENV_VARS)


def test_task_timeout_retries_and_size_from_config(plan):
    pipeline = platform_of(plan.stack).pipeline
    assert task(plan)["timeout"] == f"{pipeline.timeout_minutes * 60}s"
    assert task(plan)["maxRetries"] == pipeline.retries
    assert container(plan)["resources"]["limits"] == {
        "cpu": cpu_limit(pipeline.cpu), "memory": memory_limit(pipeline.memory_gb)}


def test_job_deletion_protection_in_prod_only(plan):
    assert plan.one(JOB).inputs["deletionProtection"] is is_prod(plan)


def test_scheduler_runs_the_job_with_an_oauth_token_on_the_cron(plan):
    trigger = plan.one("gcp:cloudscheduler/job:Job").inputs
    project, region = platform_of(plan.stack).gcp.project, platform_of(plan.stack).region
    job = plan.one(JOB).name
    assert trigger["schedule"] == platform_of(plan.stack).pipeline.schedule
    assert trigger["timeZone"] == "Etc/UTC"
    target = trigger["httpTarget"]
    assert target["httpMethod"] == "POST"
    assert target["uri"] == (f"https://run.googleapis.com/v2/projects/{project}/locations/"
                             f"{region}/jobs/{job}:run")
    scheduler = by_name(plan, "gcp:serviceaccount/account:Account", "scheduler")
    assert target["oauthToken"]["serviceAccountEmail"].startswith(
        scheduler.inputs["accountId"] + "@")
    assert "oidcToken" not in target


def test_secrets_are_regional_and_versioned(plan):
    region = platform_of(plan.stack).region
    secrets = plan.of_type("gcp:secretmanager/secret:Secret")
    assert sorted(s.name for s in secrets) == ["source-url", "warehouse-password"]
    for s in secrets:
        replicas = s.inputs["replication"]["userManaged"]["replicas"]
        assert replicas == [{"location": region}]
    versions = plan.of_type("gcp:secretmanager/secretVersion:SecretVersion")
    assert sorted(v.name for v in versions) == ["source-url", "warehouse-password"]
    assert all(v.inputs["secretData"] == "[secret]" for v in versions)


@pytest.mark.parametrize(("cpu", "expected"), [(0.5, "500m"), (1, "1"), (2.0, "2")])
def test_cpu_limit_format(cpu, expected):
    assert cpu_limit(cpu) == expected
