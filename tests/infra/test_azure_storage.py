"""Azure storage: Entra-only, TLS 1.2, private to the VNet, versioned, soft-deleted, protected."""

from __future__ import annotations

from tests.infra.support_azure import AZ, arm_id, platform_of

CLOUD = "azure"
ACCOUNT = f"{AZ}:storage:StorageAccount"


def account(plan):
    return plan.one(ACCOUNT).inputs


def test_account_is_storage_v2_https_only_tls12(plan):
    inputs = account(plan)
    assert inputs["kind"] == "StorageV2"
    assert inputs["enableHttpsTrafficOnly"] is True
    assert inputs["minimumTlsVersion"] == "TLS1_2"


def test_blob_public_access_is_off(plan):
    assert account(plan)["allowBlobPublicAccess"] is False
    for container in plan.of_type(f"{AZ}:storage:BlobContainer"):
        assert container.inputs["publicAccess"] == "None"


def test_shared_key_access_is_off(plan):
    inputs = account(plan)
    assert inputs["allowSharedKeyAccess"] is False
    assert inputs["defaultToOAuthAuthentication"] is True


def test_network_access_is_private_in_prod_and_the_apps_subnet_only_in_dev(plan):
    inputs = account(plan)
    rules = inputs["networkRuleSet"]
    assert rules["defaultAction"] == "Deny"
    assert not rules.get("ipRules")
    if plan.environment == "prod":
        assert inputs["publicNetworkAccess"] == "Disabled"
        assert not rules.get("virtualNetworkRules")
    else:
        assert inputs["publicNetworkAccess"] == "Enabled"
        assert [r["virtualNetworkResourceId"] for r in rules["virtualNetworkRules"]] == [
            arm_id(plan, f"{AZ}:network:Subnet", "apps")]


def test_infrastructure_encryption_is_on(plan):
    encryption = account(plan)["encryption"]
    assert encryption["requireInfrastructureEncryption"] is True
    assert encryption["services"]["blob"]["enabled"] is True


def test_versioning_and_soft_delete_keep_the_recovery_window(plan):
    service = plan.one(f"{AZ}:storage:BlobServiceProperties").inputs
    days = platform_of(plan.stack).database.backup_retention_days
    assert service["isVersioningEnabled"] is True
    assert service["deleteRetentionPolicy"] == {"enabled": True, "days": days}
    assert service["containerDeleteRetentionPolicy"] == {"enabled": True, "days": days}


def test_raw_and_processed_containers_exist(plan):
    containers = plan.of_type(f"{AZ}:storage:BlobContainer")
    assert sorted(c.inputs["containerName"] for c in containers) == ["processed", "raw"]


def test_data_stores_are_protected_and_locked_only_when_the_stack_protects_data(plan):
    protect = platform_of(plan.stack).database.deletion_protection
    assert protect == (plan.environment == "prod")
    stores = [plan.one(ACCOUNT), *plan.of_type(f"{AZ}:storage:BlobContainer"),
              plan.one(f"{AZ}:dbforpostgresql:Server"), plan.one(f"{AZ}:dbforpostgresql:Database"),
              plan.one(f"{AZ}:keyvault:Vault")]
    for store in stores:
        assert (store.protect, store.retain_on_delete) == (protect, protect), store.name
    lock_type = f"{AZ}:authorization:ManagementLockByScope"
    locks = {lock.inputs["scope"] for lock in plan.of_type(lock_type)}
    expected = {arm_id(plan, ACCOUNT), arm_id(plan, f"{AZ}:dbforpostgresql:Server")}
    assert locks == (expected if protect else set())
    assert all(lock.inputs["level"] == "CanNotDelete"
               for lock in plan.of_type(lock_type))


def test_prod_storage_is_zone_redundant(plan):
    sku = account(plan)["sku"]["name"]
    assert sku == ("Standard_ZRS" if plan.stack.startswith("prod") else "Standard_LRS")
