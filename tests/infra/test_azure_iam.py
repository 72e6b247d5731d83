"""Azure IAM: the job's identity holds three named roles, each on the narrowest scope."""

from __future__ import annotations

import json

from components.azure import roles
from tests.infra.support_azure import AZ, arm_id, mocked_state

CLOUD = "azure"
ASSIGNMENT = f"{AZ}:authorization:RoleAssignment"
IDENTITY = f"{AZ}:managedidentity:UserAssignedIdentity"


def test_every_assignment_is_to_the_jobs_identity(plan):
    principal = mocked_state(plan, plan.one(IDENTITY))["principalId"]
    assignments = plan.of_type(ASSIGNMENT)
    assert assignments
    for a in assignments:
        assert a.inputs["principalId"] == principal
        assert a.inputs["principalType"] == "ServicePrincipal"


def test_each_role_is_on_the_narrowest_scope_of_this_stack(plan):
    containers = {arm_id(plan, f"{AZ}:storage:BlobContainer", z) for z in ("raw", "processed")}
    expected = {
        *{(roles.STORAGE_BLOB_DATA_CONTRIBUTOR, c) for c in containers},
        (roles.KEY_VAULT_SECRETS_USER, arm_id(plan, f"{AZ}:keyvault:Vault")),
        (roles.ACR_PULL, arm_id(plan, f"{AZ}:containerregistry:Registry")),
    }
    actual = {(a.inputs["roleDefinitionId"].rsplit("/", 1)[1], a.inputs["scope"])
              for a in plan.of_type(ASSIGNMENT)}
    assert actual == expected
    assert len(plan.of_type(ASSIGNMENT)) == len(expected)


def test_role_definitions_are_built_in_roles_of_the_subscription(plan):
    for a in plan.of_type(ASSIGNMENT):
        role_id = a.inputs["roleDefinitionId"]
        assert role_id.startswith("/subscriptions/")
        assert role_id.endswith(tuple(roles.ALLOWED))


def test_no_owner_or_contributor_anywhere(plan):
    text = json.dumps([r.inputs for r in plan.resources])
    assert roles.OWNER not in text
    assert roles.CONTRIBUTOR not in text


def test_the_job_runs_as_the_identity(plan):
    identity_id = arm_id(plan, IDENTITY)
    job = plan.one(f"{AZ}:app:Job").inputs
    assert job["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity_id]}
    config = job["configuration"]
    assert [r["identity"] for r in config["registries"]] == [identity_id]
    assert {s["identity"] for s in config["secrets"]} == {identity_id}
