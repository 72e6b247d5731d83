"""Azure PostgreSQL Flexible Server: private, TLS-only, backed up, HA and protected per stack."""

from __future__ import annotations

from components.azure.database import POSTGRES_VERSION
from config.enums import Cloud
from config.sizes import database_machine
from tests.infra.support_azure import AZ, arm_id, platform_of
from tricloud.plan import SECRET

CLOUD = "azure"
SERVER = f"{AZ}:dbforpostgresql:Server"


def server(plan):
    return plan.one(SERVER).inputs


def test_server_has_no_public_access_and_no_firewall_rules(plan):
    assert server(plan)["network"]["publicNetworkAccess"] == "Disabled"
    assert not [r for r in plan.resources if "FirewallRule" in r.type]


def test_server_is_vnet_integrated_through_the_delegated_subnet_and_private_zone(plan):
    network = server(plan)["network"]
    assert network["delegatedSubnetResourceId"] == arm_id(plan, f"{AZ}:network:Subnet", "database")
    assert network["privateDnsZoneArmResourceId"] == arm_id(
        plan, f"{AZ}:privatedns:PrivateZone", "postgres-dns")


def test_server_runs_a_current_major_version(plan):
    assert int(server(plan)["version"]) >= 16
    assert server(plan)["version"] == POSTGRES_VERSION


def test_ssl_is_required(plan):
    params = {c.inputs["configurationName"]: c.inputs["value"]
              for c in plan.of_type(f"{AZ}:dbforpostgresql:Configuration")}
    assert params["require_secure_transport"] == "on"
    assert params["ssl_min_protocol_version"] == "TLSv1.2"


def test_backup_retention_comes_from_the_environment(plan):
    backup = server(plan)["backup"]
    assert backup["backupRetentionDays"] == platform_of(plan.stack).database.backup_retention_days


def test_backups_are_geo_redundant_in_prod_only(plan):
    expected = "Enabled" if plan.stack.startswith("prod") else "Disabled"
    assert server(plan)["backup"]["geoRedundantBackup"] == expected


def test_high_availability_is_zone_redundant_when_configured(plan):
    ha = platform_of(plan.stack).database.high_availability
    assert server(plan)["highAvailability"]["mode"] == (
        "ZoneRedundant" if ha else "Disabled")


def test_size_and_storage_come_from_the_config(plan):
    db = platform_of(plan.stack).database
    machine = database_machine(Cloud.AZURE, db.size)
    inputs = server(plan)
    assert inputs["sku"] == {"name": machine.name, "tier": machine.tier}
    assert inputs["storage"]["storageSizeGB"] == db.storage_gb


def test_admin_password_is_generated_and_only_a_secret(plan):
    assert server(plan)["administratorLoginPassword"] == SECRET
    password = plan.one("random:index/randomPassword:RandomPassword").inputs
    assert password["length"] >= 24
    secrets = {s.inputs["secretName"]: s.inputs["properties"]["value"]
               for s in plan.of_type(f"{AZ}:keyvault:Secret")}
    assert secrets["tricloud-warehouse-password"] == SECRET


def test_the_warehouse_database_exists(plan):
    db = plan.one(f"{AZ}:dbforpostgresql:Database").inputs
    assert db["databaseName"] == "warehouse" and db["charset"] == "UTF8"
