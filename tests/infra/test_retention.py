"""One set of retention numbers (config defaults), applied by every cloud's storage and registry.

Each stack's plan is read where its cloud keeps the number (an S3 or GCS lifecycle rule, an Azure
management policy, an ECR lifecycle policy, an Artifact Registry cleanup policy, an ACR purge
task) and compared with the stack's validated config, so a cloud that drifts from the shared
number fails here, not in a bill.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest

from config.defaults import RETENTION_DEFAULTS
from tests.infra.conftest import ALL_STACKS
from tests.infra.support import platform_of
from tricloud.plan import StackPlan


def _aws(plan: StackPlan) -> tuple[set[int], set[int], int]:
    rules = [r for c in plan.of_type(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
        for r in c.inputs["rules"]]
    noncurrent = {r["noncurrentVersionExpiration"]["noncurrentDays"] for r in rules
                  if "noncurrentVersionExpiration" in r}
    uploads = {r["abortIncompleteMultipartUpload"]["daysAfterInitiation"] for r in rules
               if "abortIncompleteMultipartUpload" in r}
    ecr = json.loads(plan.one("aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs["policy"])
    (keep,) = [r["selection"]["countNumber"] for r in ecr["rules"]
               if r["selection"]["countType"] == "imageCountMoreThan"]
    return noncurrent, uploads, keep


def _gcp(plan: StackPlan) -> tuple[set[int], set[int], int]:
    rules = [r for b in plan.of_type("gcp:storage/bucket:Bucket")
             for r in b.inputs["lifecycleRules"]]
    noncurrent = {r["condition"]["daysSinceNoncurrentTime"] for r in rules
                  if "daysSinceNoncurrentTime" in r["condition"]}
    uploads = {r["condition"]["age"] for r in rules
               if r["action"]["type"] == "AbortIncompleteMultipartUpload"}
    repo = plan.one("gcp:artifactregistry/repository:Repository").inputs
    (keep,) = [p["mostRecentVersions"]["keepCount"] for p in repo["cleanupPolicies"]
               if p["action"] == "KEEP"]
    return noncurrent, uploads, keep


def _azure(plan: StackPlan) -> tuple[set[int], set[int], int]:
    policy = plan.one("azure-native:storage:ManagementPolicy").inputs["policy"]
    noncurrent = {r["definition"]["actions"]["version"]["delete"]["daysAfterCreationGreaterThan"]
                  for r in policy["rules"] if r["enabled"]}
    task = plan.one("azure-native:containerregistry:Task").inputs
    script = base64.b64decode(task["step"]["encodedTaskContent"]).decode()
    (keep,) = [int(line.split("--keep ")[1].split()[0]) for line in script.splitlines()
               if "acr purge" in line]
    # Azure discards the uncommitted blocks of an unfinished upload after 7 days by itself.
    return noncurrent, {7}, keep


READERS: dict[str, Callable[[StackPlan], tuple[set[int], set[int], int]]] = {
    "aws": _aws, "gcp": _gcp, "azure": _azure}


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_every_cloud_applies_the_configured_retention(synth, stack):
    plan = synth(stack)
    noncurrent, uploads, keep = READERS[plan.cloud](plan)
    config = platform_of(stack)
    assert noncurrent == {config.storage.noncurrent_version_days}
    assert uploads == {config.storage.incomplete_upload_days}
    assert keep == config.images.keep


def test_the_shared_numbers_are_the_documented_ones():
    assert RETENTION_DEFAULTS == {
        "storage": {"noncurrent_version_days": 30, "incomplete_upload_days": 7},
        "images": {"keep": 10},
    }


@pytest.mark.parametrize("stack", [s for s in ALL_STACKS if s.endswith("-azure")])
def test_azure_expires_only_previous_versions_of_block_blobs_once_versioning_is_on(synth, stack):
    plan = synth(stack)
    policy = plan.one("azure-native:storage:ManagementPolicy")
    (rule,) = policy.inputs["policy"]["rules"]
    assert rule["type"] == "Lifecycle"
    assert rule["definition"]["filters"] == {"blobTypes": ["blockBlob"]}
    assert set(rule["definition"]["actions"]) == {"version"}  # current blobs are never deleted
    assert policy.inputs["managementPolicyName"] == "default"
    account = plan.one("azure-native:storage:StorageAccount")
    assert policy.inputs["accountName"] == account.inputs["accountName"]
    task = plan.one("azure-native:containerregistry:Task").inputs
    assert task["trigger"]["timerTriggers"] == [
        {"name": "daily", "schedule": "0 3 * * *", "status": "Enabled"}]
    script = base64.b64decode(task["step"]["encodedTaskContent"]).decode()
    assert "--filter 'tricloud-pipeline:.*'" in script and "--untagged" in script


def test_the_rules_follow_the_config_not_constants_of_their_own():
    """The stacks all use the defaults, so the rule builders are also fed other numbers."""
    from components.aws import storage as aws_storage
    from components.azure.image_registry import purge_task
    from components.gcp import storage as gcp_storage
    from config.schema import StorageConfig

    odd = StorageConfig(noncurrent_version_days=45, incomplete_upload_days=3)
    (aws_rule,) = aws_storage.lifecycle_rules("processed", odd)
    assert aws_rule["noncurrent_version_expiration"] == {"noncurrent_days": 45}
    assert aws_rule["abort_incomplete_multipart_upload"] == {"days_after_initiation": 3}
    gcp_conditions = [r.condition for r in gcp_storage.lifecycle_rules(odd)]
    assert {c.days_since_noncurrent_time for c in gcp_conditions} >= {45}
    assert {c.age for c in gcp_conditions} >= {3}
    assert "--keep 4 " in purge_task("tricloud-pipeline", 4)
