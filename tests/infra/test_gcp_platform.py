"""Stack-wide rules of the GCP platform: composition, provider, labels, outputs, APIs, contract."""

from __future__ import annotations

import json

import pytest

from components.contract import OUTPUT_NAMES, secret_variables
from components.gcp.services import REQUIRED_SERVICES
from components.tags import as_gcp_labels, standard_tags
from pipeline.settings import ENV_VARS
from tests.infra.support_gcp import (
    PLATFORM_TYPE,
    PROVIDER_TYPE,
    gcp_resources,
    platform_of,
)
from tricloud.guardrails.read import dig

CLOUD = "gcp"

# Resource types that accept labels, and the input holding them.
LABEL_FIELDS: dict[str, str] = {  # type -> dotted path of its labels
    "gcp:storage/bucket:Bucket": "labels",
    "gcp:sql/databaseInstance:DatabaseInstance": "settings.userLabels",
    "gcp:secretmanager/secret:Secret": "labels",
    "gcp:kms/cryptoKey:CryptoKey": "labels",
    "gcp:artifactregistry/repository:Repository": "labels",
    "gcp:cloudrunv2/job:Job": "labels",
    "gcp:compute/globalAddress:GlobalAddress": "labels",
    "gcp:monitoring/notificationChannel:NotificationChannel": "userLabels",
    "gcp:monitoring/alertPolicy:AlertPolicy": "userLabels",
}


def expected_labels(stack: str) -> dict[str, str]:
    return as_gcp_labels(standard_tags(platform_of(stack), stack))


def test_one_platform_component_at_the_root(plan):
    root = plan.one(PLATFORM_TYPE)
    assert root.parent is None
    assert [r.name for r in plan.resources if r.parent is None] == [root.name]


def test_every_resource_is_under_the_platform(plan):
    root = plan.one(PLATFORM_TYPE)
    urns = {r.urn: r for r in plan.resources}
    for r in plan.resources:
        node, seen = r, 0
        while node.parent is not None and seen < 20:
            node, seen = urns[node.parent], seen + 1
        assert node.urn == root.urn, f"{r.type} {r.name} is not under the platform"


def test_components_use_gcp_type_tokens(plan):
    components = [r for r in plan.resources if not r.custom]
    assert components
    assert all(r.type.startswith("tricloud:gcp:") for r in components)


def test_every_gcp_resource_uses_the_explicit_provider(plan):
    provider = plan.one(PROVIDER_TYPE)
    for r in gcp_resources(plan):
        assert r.provider == provider.urn, f"{r.type} {r.name} uses {r.provider}"


def test_other_packages_use_explicit_providers_too(plan):
    """random and docker-build must not fall back to default providers either."""
    providers = {r.type.removeprefix("pulumi:providers:"): r.urn for r in plan.resources
                 if r.type.startswith("pulumi:providers:")}
    for r in plan.resources:
        if r.custom and not r.type.startswith("pulumi:providers:"):
            assert r.provider == providers[r.type.split(":", 1)[0]], f"{r.type} {r.name}"


def test_provider_has_project_region_and_default_labels(plan):
    provider = plan.one(PROVIDER_TYPE).inputs
    platform = platform_of(plan.stack)
    assert provider["project"] == platform.gcp.project
    assert provider["region"] == platform.region
    assert json.loads(provider["defaultLabels"]) == expected_labels(plan.stack)


@pytest.mark.parametrize("type_", sorted(LABEL_FIELDS))
def test_every_labelable_resource_is_labelled(plan, type_):
    resources = plan.of_type(type_)
    if type_ == "gcp:kms/cryptoKey:CryptoKey" and plan.environment != "prod":
        assert not resources
        return
    assert resources, f"no {type_} in {plan.stack}"
    for r in resources:
        labels = dig(r.inputs, LABEL_FIELDS[type_]) or {}
        assert expected_labels(plan.stack).items() <= labels.items(), f"{type_} {r.name}"


def test_outputs_are_the_contract_and_all_non_empty(plan):
    assert set(plan.outputs) == set(OUTPUT_NAMES)
    for name, value in plan.outputs.items():
        assert value not in ("", None, "[unknown]", "[secret]"), f"output {name} is {value!r}"


def test_outputs_point_at_this_stacks_resources(plan):
    platform = platform_of(plan.stack)
    out = plan.outputs
    assert out["raw_storage_uri"].startswith("gs://") and "raw" in out["raw_storage_uri"]
    assert out["processed_storage_uri"].startswith("gs://")
    assert out["schedule"] == platform.pipeline.schedule
    assert out["warehouse_port"] == 5432
    assert out["image_repository"].startswith(f"{platform.region}-docker.pkg.dev/"
                                              f"{platform.gcp.project}/")
    for ref in ("warehouse_secret_ref", "source_secret_ref"):
        assert out[ref].startswith(f"projects/{platform.gcp.project}/secrets/")


def test_project_services_are_enabled_and_never_disabled(plan):
    services = plan.of_type("gcp:projects/service:Service")
    assert sorted(s.inputs["service"] for s in services) == sorted(REQUIRED_SERVICES)
    for s in services:
        assert s.inputs["disableOnDestroy"] is False
        assert s.inputs.get("disableDependentServices") is False
        assert s.inputs["project"] == platform_of(plan.stack).gcp.project


def test_no_secret_value_leaks_into_plain_inputs(plan):
    """Only the user's password and the secret versions may carry secret values."""
    allowed = {("gcp:sql/user:User", "password"), ("gcp:secretmanager/secretVersion:SecretVersion",
                                                    "secretData"),
               ("docker-build:index:Image", "registries")}
    for r in plan.resources:
        for key, value in r.inputs.items():
            if "[secret]" in json.dumps(value):
                assert (r.type, key) in allowed, f"{r.type} {r.name}.{key} holds a secret"


def test_secret_variables_match_the_pipeline_contract():
    secrets = {v.name for v in secret_variables("gcp")}
    assert secrets == {v.name for v in ENV_VARS if v.secret and v.required_in_cloud}
    assert secrets == {"TRICLOUD_SOURCE_URL", "TRICLOUD_WAREHOUSE_PASSWORD"}
