"""Cloud SQL secure defaults: private only, SSL, backups/PITR, HA, protection, IAM auth."""

from __future__ import annotations

import ipaddress

from components.gcp.network import PRIVATE_SERVICES, address_plan
from config.sizes import database_machine
from tests.infra.support_gcp import is_prod, platform_of

CLOUD = "gcp"

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"


def settings(plan):
    return plan.one(INSTANCE).inputs["settings"]


def test_current_postgres_major(plan):
    version = plan.one(INSTANCE).inputs["databaseVersion"]
    assert version.startswith("POSTGRES_") and int(version.split("_")[1]) >= 15


def test_no_public_ip_and_no_authorised_networks(plan):
    ip = settings(plan)["ipConfiguration"]
    assert ip["ipv4Enabled"] is False
    assert not ip.get("authorizedNetworks")
    vpc = plan.one("gcp:compute/network:Network").name
    project = platform_of(plan.stack).gcp.project
    assert ip["privateNetwork"] == f"projects/{project}/global/networks/{vpc}"


def test_host_is_a_private_address_in_the_reserved_range(plan):
    host = ipaddress.ip_address(plan.outputs["warehouse_host"])
    assert host.is_private
    assert host in address_plan(platform_of(plan.stack).network.cidr)[PRIVATE_SERVICES]


def test_ssl_is_required(plan):
    assert settings(plan)["ipConfiguration"]["sslMode"] == "ENCRYPTED_ONLY"


def test_backups_with_point_in_time_recovery_from_config(plan):
    backup = settings(plan)["backupConfiguration"]
    days = platform_of(plan.stack).database.backup_retention_days
    assert backup["enabled"] is True
    assert backup["pointInTimeRecoveryEnabled"] is True
    assert backup["backupRetentionSettings"] == {"retainedBackups": days, "retentionUnit": "COUNT"}
    assert 1 <= backup["transactionLogRetentionDays"] <= min(days, 7)


def test_regional_availability_when_ha(plan):
    ha = platform_of(plan.stack).database.high_availability
    assert settings(plan)["availabilityType"] == ("REGIONAL" if ha else "ZONAL")
    assert ha is is_prod(plan)  # the environment defaults: prod is HA, dev is not


def test_size_and_storage_from_config(plan):
    db = platform_of(plan.stack).database
    s = settings(plan)
    assert s["tier"] == database_machine(platform_of(plan.stack).cloud, db.size).name
    assert s["diskSize"] == db.storage_gb
    assert s["edition"] == "ENTERPRISE"  # custom tiers exist only in the Enterprise edition


def test_deletion_protection_in_prod_only_api_flag_and_pulumi(plan):
    instance = plan.one(INSTANCE)
    prod = is_prod(plan)
    assert instance.inputs["deletionProtection"] is prod
    assert settings(plan)["deletionProtectionEnabled"] is prod
    assert (instance.protect, instance.retain_on_delete) == (prod, prod)
    database = plan.one("gcp:sql/database:Database")
    assert (database.protect, database.retain_on_delete) == (prod, prod)


def test_maintenance_window(plan):
    window = settings(plan)["maintenanceWindow"]
    assert 1 <= window["day"] <= 7 and 0 <= window["hour"] <= 23


def test_iam_database_authentication_enabled(plan):
    flags = {f["name"]: f["value"] for f in settings(plan)["databaseFlags"]}
    assert flags["cloudsql.iam_authentication"] == "on"


# What a CIS review of Cloud SQL for PostgreSQL reads (flag -> the value it accepts).
CIS_FLAGS = {
    "log_checkpoints": "on",
    "log_connections": "on",
    "log_disconnections": "on",
    "log_hostname": "on",
    "log_lock_waits": "on",
    "log_statement": "ddl",
    "cloudsql.enable_pgaudit": "on",
}
# PostgreSQL's severities, least to most severe; CIS accepts ``error`` or more severe.
SEVERITIES = ("debug5", "debug4", "debug3", "debug2", "debug1", "info", "notice", "warning",
              "error", "log", "fatal", "panic")


def test_cis_logging_and_audit_flags(plan):
    flags = {f["name"]: f["value"] for f in settings(plan)["databaseFlags"]}
    assert {k: flags.get(k) for k in CIS_FLAGS} == CIS_FLAGS
    assert SEVERITIES.index(flags["log_min_messages"]) >= SEVERITIES.index("error")
    audited = set(flags["pgaudit.log"].split(","))
    assert "ddl" in audited and "role" in audited
    # Slow statements stay logged at 5 s (docs/platforms.md: why not off).
    assert flags["log_min_duration_statement"] == "5000"


def test_warehouse_database_and_user(plan):
    assert plan.one("gcp:sql/database:Database").inputs["name"] == plan.outputs[
        "warehouse_database"]
    user = plan.one("gcp:sql/user:User").inputs
    assert user["name"] == plan.outputs["warehouse_user"]
    assert user["password"] == "[secret]"


def test_password_is_generated_and_stored_in_secret_manager(plan):
    generated = plan.one("random:index/randomPassword:RandomPassword").inputs
    assert generated["length"] >= 24
    versions = [v for v in plan.of_type("gcp:secretmanager/secretVersion:SecretVersion")
                if v.name == "warehouse-password"]
    assert len(versions) == 1 and versions[0].inputs["secretData"] == "[secret]"
