"""Azure Key Vault: RBAC, soft delete, purge protection, firewall; the contract's secrets only."""

from __future__ import annotations

from components.contract import secret_variables
from tests.infra.support_azure import AZ, arm_id
from tricloud.plan import SECRET

SECRET_ENV_VARS = {v.name for v in secret_variables("azure")}

CLOUD = "azure"


def vault(plan):
    return plan.one(f"{AZ}:keyvault:Vault").inputs["properties"]


def test_vault_uses_rbac_authorisation(plan):
    props = vault(plan)
    assert props["enableRbacAuthorization"] is True
    assert not props.get("accessPolicies")


def test_vault_has_soft_delete_and_purge_protection(plan):
    props = vault(plan)
    assert props["enableSoftDelete"] is True
    assert props["enablePurgeProtection"] is True
    assert props["softDeleteRetentionInDays"] >= 7


def test_vault_network_access_is_denied_by_default(plan):
    acls = vault(plan)["networkAcls"]
    assert acls["defaultAction"] == "Deny"
    assert not acls.get("ipRules")


def test_vault_is_private_in_prod_and_firewalled_to_the_apps_subnet_in_dev(plan):
    properties, acls = vault(plan), vault(plan)["networkAcls"]
    if plan.environment == "prod":
        assert properties["publicNetworkAccess"] == "Disabled"
        assert not acls.get("virtualNetworkRules")
    else:
        assert properties["publicNetworkAccess"] == "Enabled"
        assert [r["id"] for r in acls["virtualNetworkRules"]] == [
            arm_id(plan, f"{AZ}:network:Subnet", "apps")]


def test_vault_holds_exactly_the_contracts_secrets_as_secrets(plan):
    secrets = plan.of_type(f"{AZ}:keyvault:Secret")
    names = sorted(s.inputs["secretName"] for s in secrets)
    assert names == sorted(v.lower().replace("_", "-") for v in SECRET_ENV_VARS)
    assert all(s.inputs["properties"]["value"] == SECRET for s in secrets)
