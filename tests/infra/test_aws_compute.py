"""Registry, task, schedule, secrets and monitoring of the AWS pipeline, on every AWS stack."""

from __future__ import annotations

import json
import re
from pathlib import Path

from components.aws.job import SCRATCH_PATH, SCRATCH_VOLUME
from components.aws.plans import eventbridge_cron
from components.contract import secret_variables
from components.image import DOCKERFILE
from pipeline.settings import ENV_VAR_NAMES, ENV_VARS
from tests.infra.support_aws import (
    by_name,
    container,
    id_of,
    is_prod,
    platform_of,
    state_of,
)
from tricloud.plan import SECRET

CLOUD = "aws"

SECRET_ENV_VARS = {v.name for v in secret_variables("aws")}

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def test_repository_scans_on_push_with_immutable_tags_and_a_lifecycle(plan):
    repo = plan.one("aws:ecr/repository:Repository").inputs
    assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert not repo.get("imageTagMutabilityExclusionFilters")
    rules = json.loads(plan.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])
    assert rules["rules"]
    assert repo["forceDelete"] is not is_prod(plan)


def test_image_is_built_from_pipeline_and_pinned_by_digest(plan):
    image = plan.one("docker-build:index:Image").inputs
    assert image["push"] is True
    assert image["dockerfile"]["location"].endswith("pipeline/Dockerfile")
    assert "@sha256:" in container(plan)["image"]
    assert container(plan)["image"].startswith(plan.outputs["image_repository"] + ":")


def test_cluster_has_container_insights(plan):
    settings = plan.one("aws:ecs/cluster:Cluster").inputs["settings"]
    assert {"name": "containerInsights", "value": "enabled"} in settings


def test_task_is_fargate_sized_from_config_and_runs_as_non_root(plan):
    task = plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs
    pipeline = platform_of(plan.stack).pipeline
    assert task["requiresCompatibilities"] == ["FARGATE"] and task["networkMode"] == "awsvpc"
    sized = (int(task["cpu"]), int(task["memory"]))
    assert sized == (pipeline.cpu * 1024, pipeline.memory_gb * 1024)
    user = container(plan)["user"]
    assert user and user.split(":")[0] not in ("0", "root")
    assert container(plan)["linuxParameters"]["capabilities"]["drop"] == ["ALL"]
    assert plan.outputs["job_name"] == task["family"]


def test_job_environment_is_exactly_the_pipeline_contract(plan):
    box = container(plan)
    plain = {e["name"] for e in box["environment"]}
    secret = {s["name"] for s in box["secrets"]}
    assert secret == SECRET_ENV_VARS
    assert not plain & secret
    assert plain | secret <= ENV_VAR_NAMES
    assert plain | secret >= {v.name for v in ENV_VARS if v.required_in_cloud}
    values = {e["name"]: e["value"] for e in box["environment"]}
    assert values["TRICLOUD_WAREHOUSE_HOST"] == plan.outputs["warehouse_host"]
    assert values["TRICLOUD_RAW_URI"] == plan.outputs["raw_storage_uri"]
    assert values["TRICLOUD_WAREHOUSE_SSLMODE"] == "require"
    # The job is told the memory its task has (the engine's limit is half), and its source.
    task = plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs
    assert values["TRICLOUD_MEMORY_MB"] == task["memory"]
    assert values["TRICLOUD_SOURCE"] == platform_of(plan.stack).pipeline.source.value


def test_secrets_come_from_secrets_manager_by_reference(plan):
    refs = {s["name"]: s["valueFrom"] for s in container(plan)["secrets"]}
    assert refs["TRICLOUD_SOURCE_URL"] == plan.outputs["source_secret_ref"]
    password = refs["TRICLOUD_WAREHOUSE_PASSWORD"]
    assert password == plan.outputs["warehouse_secret_ref"] + ":password::"
    version = plan.one("aws:secretsmanager/secretVersion:SecretVersion").inputs
    assert version["secretString"] == "[secret]"
    secret = plan.one("aws:secretsmanager/secret:Secret").inputs
    if is_prod(plan):
        assert secret["kmsKeyId"] == state_of(plan, plan.one("aws:kms/key:Key"))["arn"]


def test_logs_go_to_the_job_log_group_with_the_environment_retention(plan):
    options = container(plan)["logConfiguration"]
    assert options["logDriver"] == "awslogs"
    group = by_name(plan, LOG_GROUP, "job").inputs
    assert options["options"]["awslogs-group"] == group["name"]
    assert group["retentionInDays"] == platform_of(plan.stack).monitoring.log_retention_days
    assert all(g.inputs.get("retentionInDays") for g in plan.of_type(LOG_GROUP))


def test_schedule_runs_the_task_privately_on_the_stack_cron_with_retries_and_dlq(plan):
    schedule = plan.one("aws:scheduler/schedule:Schedule").inputs
    cron = platform_of(plan.stack).pipeline.schedule
    assert schedule["scheduleExpression"] == eventbridge_cron(cron)
    assert schedule["scheduleExpressionTimezone"] == "UTC"
    target = schedule["target"]
    assert target["retryPolicy"]["maximumRetryAttempts"] >= 1
    queue = plan.one("aws:sqs/queue:Queue")
    assert target["deadLetterConfig"]["arn"] == state_of(plan, queue)["arn"]
    assert queue.inputs["sqsManagedSseEnabled"] is True
    network = target["ecsParameters"]["networkConfiguration"]
    assert network["assignPublicIp"] is False
    private = {id_of(plan, s) for s in plan.of_type("aws:ec2/subnet:Subnet")
               if s.inputs["tags"]["tier"] == "private"}
    assert set(network["subnets"]) == private
    assert plan.outputs["schedule"] == platform_of(plan.stack).pipeline.schedule


def test_failed_runs_alert_the_stack_emails(plan):
    topic = state_of(plan, plan.one("aws:sns/topic:Topic"))["arn"]
    subscriptions = plan.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert sorted(s.inputs["endpoint"] for s in subscriptions) == sorted(
        platform_of(plan.stack).alerts.emails)
    assert all(s.inputs["protocol"] == "email" and s.inputs["topic"] == topic
               for s in subscriptions)
    metric = plan.one("aws:cloudwatch/logMetricFilter:LogMetricFilter").inputs
    assert metric["pattern"] == '{ $.status = "failed" }'
    assert metric["logGroupName"] == by_name(plan, LOG_GROUP, "job").inputs["name"]
    alarm = by_name(plan, "aws:cloudwatch/metricAlarm:MetricAlarm", "failed-runs").inputs
    assert alarm["metricName"] == metric["metricTransformation"]["name"]
    assert alarm["alarmActions"] == [topic]
    rule = json.loads(plan.one("aws:cloudwatch/eventRule:EventRule").inputs["eventPattern"])
    family = plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs["family"]
    assert rule["detail"]["group"] == [f"family:{family}"]
    assert plan.one("aws:cloudwatch/eventTarget:EventTarget").inputs["arn"] == topic


def test_root_filesystem_is_read_only_with_one_writable_scratch_volume(plan):
    task = plan.one("aws:ecs/taskDefinition:TaskDefinition").inputs
    assert container(plan)["readonlyRootFilesystem"] is True
    assert container(plan)["mountPoints"] == [
        {"sourceVolume": SCRATCH_VOLUME, "containerPath": SCRATCH_PATH, "readOnly": False}]
    assert task["volumes"] == [{"name": SCRATCH_VOLUME}]


def test_temp_files_and_the_spill_folder_land_on_the_scratch_volume():
    """No TMPDIR is set anywhere, so ``tempfile`` (and DuckDB's spill folder, made with it)
    uses the default /tmp, which is the scratch mount; the image works in it too."""
    dockerfile = (Path(__file__).parents[2] / DOCKERFILE).read_text()
    assert "TMPDIR" not in dockerfile and "TMPDIR" not in ENV_VAR_NAMES
    assert SCRATCH_PATH == "/tmp"
    workdirs = re.findall(r"^WORKDIR (\S+)", dockerfile, re.MULTILINE)
    assert workdirs[-1] == SCRATCH_PATH
    local_dir = re.search(r"TRICLOUD_LOCAL_DIR=(\S+)", dockerfile)
    assert local_dir and local_dir.group(1).startswith(SCRATCH_PATH + "/")


def test_registry_password_is_a_secret_in_the_image_inputs(plan):
    (registry,) = plan.one("docker-build:index:Image").inputs["registries"]
    assert registry["password"] == SECRET
    assert registry["username"] != SECRET
