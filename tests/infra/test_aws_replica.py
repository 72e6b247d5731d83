"""``storage.replica_region``: off in every stack file; what it builds when a prod stack sets it."""

from __future__ import annotations

import json

import pytest

from components.aws.storage import REPLICA
from config.stacks import STACKS_DIR
from tests.infra.support_aws import AWS_STACKS, by_name, state_of
from tricloud.guardrails import check_plan
from tricloud.synth import synthesize

REPLICA_REGION = "eu-west-1"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"


@pytest.fixture(scope="module")
def replicated(tmp_path_factory):
    """prod-aws with the option on, synthesised from a copy of its stack file."""
    text = (STACKS_DIR / "Pulumi.prod-aws.yaml").read_text()
    assert "    environment: prod\n" in text
    folder = tmp_path_factory.mktemp("replica")
    path = folder / "Pulumi.prod-aws.yaml"
    path.write_text(text.replace("    environment: prod\n", "    environment: prod\n"
                                 f"    storage:\n      replica_region: {REPLICA_REGION}\n"))
    return synthesize(path)


@pytest.mark.parametrize("stack", AWS_STACKS)
def test_no_stack_file_replicates_by_default(synth, stack):
    assert synth(stack).of_type(REPLICATION) == []


def test_replica_bucket_has_its_own_provider_in_the_replica_region(replicated):
    providers = {p.name: p.inputs["region"] for p in replicated.of_type("pulumi:providers:aws")}
    assert providers[f"aws-{REPLICA_REGION}"] == REPLICA_REGION
    bucket = by_name(replicated, "aws:s3/bucket:Bucket", REPLICA)
    assert bucket.provider and bucket.provider.endswith(f"::aws-{REPLICA_REGION}")
    assert bucket.protect and bucket.retain_on_delete


def test_replica_is_hardened_and_encrypted_with_a_key_of_its_region(replicated):
    key = by_name(replicated, "aws:kms/key:Key", REPLICA)
    key_arn = state_of(replicated, key)["arn"]
    sse = by_name(replicated, "aws:s3/bucketServerSideEncryptionConfiguration:"
                              "BucketServerSideEncryptionConfiguration", REPLICA).inputs
    assert sse["rules"][0]["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}
    versioning = by_name(replicated, "aws:s3/bucketVersioning:BucketVersioning", REPLICA)
    assert versioning.inputs["versioningConfiguration"]["status"] == "Enabled"
    block = by_name(replicated, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", REPLICA)
    assert all(block.inputs[k] for k in ("blockPublicAcls", "blockPublicPolicy",
                                          "ignorePublicAcls", "restrictPublicBuckets"))


def test_processed_bucket_replicates_everything_with_a_scoped_role(replicated):
    rule = replicated.one(REPLICATION).inputs
    processed = state_of(replicated, by_name(replicated, "aws:s3/bucket:Bucket", "processed"))
    replica = state_of(replicated, by_name(replicated, "aws:s3/bucket:Bucket", REPLICA))
    role = by_name(replicated, "aws:iam/role:Role", "replication")
    assert rule["bucket"] == processed["id"] and rule["role"] == state_of(replicated, role)["arn"]
    (only,) = rule["rules"]
    assert only["status"] == "Enabled" and only["deleteMarkerReplication"]["status"] == "Enabled"
    assert only["destination"]["bucket"] == replica["arn"]
    replica_key = state_of(replicated, by_name(replicated, "aws:kms/key:Key", REPLICA))["arn"]
    assert only["destination"]["encryptionConfiguration"] == {"replicaKmsKeyId": replica_key}
    assert only["sourceSelectionCriteria"]["sseKmsEncryptedObjects"]["status"] == "Enabled"
    policy = json.loads(by_name(replicated, "aws:iam/rolePolicy:RolePolicy",
                                "replication").inputs["policy"])
    resources = {r for s in policy["Statement"] for r in s["Resource"]}
    source_key = state_of(replicated, by_name(replicated, "aws:kms/key:Key", "data"))["arn"]
    assert resources == {processed["arn"], f"{processed['arn']}/*", f"{replica['arn']}/*",
                         source_key, replica_key}


def test_a_replicated_stack_passes_the_guardrails(replicated):
    assert check_plan(replicated) == []
