"""The AWS platform as a whole: components, provider and tags, outputs, protection."""

from __future__ import annotations

import json

from components.contract import OUTPUT_NAMES
from components.tags import standard_tags
from tests.infra.support_aws import (
    PLATFORM_TYPE,
    PROVIDER_TYPE,
    aws_resources,
    platform_of,
)

CLOUD = "aws"

DATA_STORES = {"aws:s3/bucket:Bucket", "aws:rds/instance:Instance", "aws:kms/key:Key"}
COMPONENTS = {"Network", "SecurityGroups", "Storage", "Bucket", "Secrets", "Database",
              "Monitoring", "ImageRegistry", "Identities", "Job", "SchedulerRole"}


def test_one_component_per_concern_under_the_platform(plan):
    kinds = {r.type.removeprefix("tricloud:aws:") for r in plan.resources
             if r.type.startswith("tricloud:aws:") and r.type != PLATFORM_TYPE}
    assert kinds - {"DataKey"} == COMPONENTS
    assert ("DataKey" in kinds) is (plan.environment == "prod")


def test_every_resource_descends_from_the_platform(plan):
    by_urn = {r.urn: r for r in plan.resources}
    root = plan.one(PLATFORM_TYPE)
    for resource in plan.resources:
        node = resource
        while node.parent is not None:
            node = by_urn[node.parent]
        assert node is root, f"{resource.type} {resource.name} escapes the platform"


def test_one_provider_in_the_stack_region_with_the_standard_tags(plan):
    provider = plan.one(PROVIDER_TYPE)
    assert provider.inputs["region"] == plan.region
    tags = json.loads(provider.inputs["defaultTags"])["tags"]
    assert tags == standard_tags(platform_of(plan.stack), plan.stack)
    assert {"project", "environment", "stack", "managed-by"} <= set(tags)


def test_every_aws_resource_is_tagged_through_the_provider(plan):
    provider = plan.one(PROVIDER_TYPE).urn
    untagged = [f"{r.type} {r.name}" for r in aws_resources(plan) if r.provider != provider]
    assert not untagged


def test_outputs_fill_the_whole_contract(plan):
    assert set(plan.outputs) == set(OUTPUT_NAMES)
    empty = [k for k, v in plan.outputs.items() if v in ("", None, "[unknown]")]
    assert not empty
    assert plan.outputs["raw_storage_uri"].startswith("s3://")
    assert plan.outputs["warehouse_secret_ref"].startswith("arn:aws:secretsmanager:")
    assert plan.outputs["source_secret_ref"].startswith("arn:aws:secretsmanager:")
    assert ".dkr.ecr." in plan.outputs["image_repository"]


def test_data_stores_protected_in_prod_only(plan):
    prod = plan.environment == "prod"
    for resource in plan.resources:
        if resource.type in DATA_STORES:
            assert resource.protect is prod, resource.name
            assert resource.retain_on_delete is prod, resource.name
        else:
            assert not resource.protect, f"{resource.type} {resource.name} is protected"


def test_no_unknown_value_leaks_into_an_input(plan):
    text = json.dumps([r.inputs for r in plan.resources])
    assert "[unknown]" not in text
    assert "None" not in text and "null" not in text
