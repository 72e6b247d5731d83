"""The RDS warehouse's secure defaults, on every AWS stack."""

from __future__ import annotations

import json

import pytest

from components.aws.database import MONITORING_INTERVAL_SECONDS
from config.sizes import database_machine
from tests.infra.support_aws import (
    by_name,
    id_of,
    is_prod,
    platform_of,
    state_of,
)

CLOUD = "aws"

INSTANCE = "aws:rds/instance:Instance"


@pytest.fixture
def db(plan):
    return plan.one(INSTANCE)


def test_current_postgres_major_of_the_configured_size(plan, db):
    assert db.inputs["engine"] == "postgres"
    assert int(db.inputs["engineVersion"].split(".")[0]) >= 16
    cfg = platform_of(plan.stack)
    assert db.inputs["instanceClass"] == database_machine(cfg.cloud, cfg.database.size).name
    assert db.inputs["allocatedStorage"] == cfg.database.storage_gb


def test_private_in_a_subnet_group_of_the_private_subnets(plan, db):
    assert db.inputs["publiclyAccessible"] is False
    group = plan.one("aws:rds/subnetGroup:SubnetGroup").inputs
    assert db.inputs["dbSubnetGroupName"] == group["name"]
    private = {id_of(plan, r) for r in plan.of_type("aws:ec2/subnet:Subnet")
               if r.inputs["tags"]["tier"] == "private"}
    assert set(group["subnetIds"]) == private


def test_storage_encrypted_with_the_stack_key_in_prod(plan, db):
    assert db.inputs["storageEncrypted"] is True
    if is_prod(plan):
        key = state_of(plan, plan.one("aws:kms/key:Key"))["arn"]
        assert db.inputs["kmsKeyId"] == key
        assert db.inputs["masterUserSecretKmsKeyId"] == key


def test_password_is_managed_by_rds_never_in_state(plan, db):
    assert db.inputs["manageMasterUserPassword"] is True
    assert "password" not in db.inputs and "passwordWo" not in db.inputs
    assert not plan.of_type("random:index/randomPassword:RandomPassword")


def test_parameter_group_forces_ssl(plan, db):
    group = plan.one("aws:rds/parameterGroup:ParameterGroup").inputs
    assert db.inputs["parameterGroupName"] == group["name"]
    assert group["family"] == f"postgres{db.inputs['engineVersion'].split('.')[0]}"
    assert {"name": "rds.force_ssl", "value": "1"} in group["parameters"]


def test_backup_retention_comes_from_the_environment(plan, db):
    days = platform_of(plan.stack).database.backup_retention_days
    assert db.inputs["backupRetentionPeriod"] == days == (30 if is_prod(plan) else 7)


def test_multi_az_exactly_when_high_availability(plan, db):
    assert db.inputs["multiAz"] is platform_of(plan.stack).database.high_availability
    assert db.inputs["multiAz"] is is_prod(plan)


def test_deletion_protection_final_snapshot_and_protect_in_prod_only(plan, db):
    prod = is_prod(plan)
    assert db.inputs["deletionProtection"] is prod
    assert db.inputs["skipFinalSnapshot"] is not prod
    assert bool(db.inputs.get("finalSnapshotIdentifier")) is prod
    assert db.protect is prod and db.retain_on_delete is prod


def test_performance_insights_and_log_exports_with_retention(plan, db):
    assert db.inputs["performanceInsightsEnabled"] is True
    assert "postgresql" in db.inputs["enabledCloudwatchLogsExports"]
    retention = platform_of(plan.stack).monitoring.log_retention_days
    for log in db.inputs["enabledCloudwatchLogsExports"]:
        group = by_name(plan, "aws:cloudwatch/logGroup:LogGroup", f"rds-{log}").inputs
        assert group["name"] == f"/aws/rds/instance/{db.inputs['identifier']}/{log}"
        assert group["retentionInDays"] == retention


def test_performance_insights_are_encrypted_with_the_stack_key_in_prod(plan, db):
    key = state_of(plan, plan.one("aws:kms/key:Key"))["arn"] if is_prod(plan) else None
    assert db.inputs.get("performanceInsightsKmsKeyId") == key


def test_enhanced_monitoring_through_its_own_role(plan, db):
    assert db.inputs["monitoringInterval"] == MONITORING_INTERVAL_SECONDS > 0
    role = by_name(plan, "aws:iam/role:Role", "monitoring")
    assert db.inputs["monitoringRoleArn"] == state_of(plan, role)["arn"]
    (trust,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"Service": "monitoring.rds.amazonaws.com"}


def test_contract_outputs_point_at_the_instance(plan, db):
    state = state_of(plan, db)
    assert plan.outputs["warehouse_host"] == state["address"]
    assert plan.outputs["warehouse_port"] == 5432
    assert plan.outputs["warehouse_database"] == db.inputs["dbName"]
    assert plan.outputs["warehouse_user"] == db.inputs["username"]
    assert plan.outputs["warehouse_secret_ref"] == state["masterUserSecrets"][0]["secretArn"]
