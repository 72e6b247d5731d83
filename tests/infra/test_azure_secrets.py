"""Azure Key Vault: RBAC, soft delete, purge protection, firewall; the contract's secrets only."""

from __future__ import annotations

import pytest

from components.contract import secret_variables
from tests.infra.support_azure import AZ, AZURE_STACKS, arm_id
from tricloud.plan import SECRET

SECRET_ENV_VARS = {v.name for v in secret_variables("azure")}

pytestmark = pytest.mark.parametrize("stack", AZURE_STACKS)


def vault(synth, stack):
    return synth(stack).one(f"{AZ}:keyvault:Vault").inputs["properties"]


def test_vault_uses_rbac_authorisation(synth, stack):
    props = vault(synth, stack)
    assert props["enableRbacAuthorization"] is True
    assert not props.get("accessPolicies")


def test_vault_has_soft_delete_and_purge_protection(synth, stack):
    props = vault(synth, stack)
    assert props["enableSoftDelete"] is True
    assert props["enablePurgeProtection"] is True
    assert props["softDeleteRetentionInDays"] >= 7


def test_vault_network_access_is_denied_by_default(synth, stack):
    plan = synth(stack)
    acls = vault(synth, stack)["networkAcls"]
    assert acls["defaultAction"] == "Deny"
    assert [r["id"] for r in acls["virtualNetworkRules"]] == [
        arm_id(plan, f"{AZ}:network:Subnet", "apps")]
    assert not acls.get("ipRules")


def test_vault_holds_exactly_the_contracts_secrets_as_secrets(synth, stack):
    secrets = synth(stack).of_type(f"{AZ}:keyvault:Secret")
    names = sorted(s.inputs["secretName"] for s in secrets)
    assert names == sorted(v.lower().replace("_", "-") for v in SECRET_ENV_VARS)
    assert all(s.inputs["properties"]["value"] == SECRET for s in secrets)
