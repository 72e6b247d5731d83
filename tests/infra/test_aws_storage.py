"""The raw and processed buckets' secure defaults, on every AWS stack."""

from __future__ import annotations

import json

import pytest

from tests.infra.support_aws import by_name, is_prod, state_of

CLOUD = "aws"

ZONES = ("raw", "processed")


def _setting(plan, kind, zone):
    return by_name(plan, f"aws:s3/{kind[0].lower()}{kind[1:]}:{kind}", zone).inputs


def _bucket_id(plan, zone):
    return state_of(plan, by_name(plan, "aws:s3/bucket:Bucket", zone))["id"]


def test_two_buckets_named_for_the_stack(plan):
    buckets = {r.name: r.inputs["bucket"] for r in plan.of_type("aws:s3/bucket:Bucket")}
    assert set(buckets) == set(ZONES)
    assert all(plan.stack in name for name in buckets.values())
    assert plan.outputs["raw_storage_uri"] == f"s3://{buckets['raw']}"
    assert plan.outputs["processed_storage_uri"] == f"s3://{buckets['processed']}"


@pytest.mark.parametrize("zone", ZONES)
def test_all_four_public_access_blocks_are_on(plan, zone):
    block = _setting(plan, "BucketPublicAccessBlock", zone)
    assert block["bucket"] == _bucket_id(plan, zone)
    for key in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                "restrictPublicBuckets"):
        assert block[key] is True, key


@pytest.mark.parametrize("zone", ZONES)
def test_bucket_owner_enforced_disables_acls(plan, zone):
    rule = _setting(plan, "BucketOwnershipControls", zone)["rule"]
    assert rule["objectOwnership"] == "BucketOwnerEnforced"


@pytest.mark.parametrize("zone", ZONES)
def test_encrypted_with_the_stack_key_in_prod(plan, zone):
    rules = _setting(plan, "BucketServerSideEncryptionConfiguration", zone)["rules"]
    default = rules[0]["applyServerSideEncryptionByDefault"]
    if is_prod(plan):
        key = state_of(plan, plan.one("aws:kms/key:Key"))["arn"]
        assert default == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key}
        assert rules[0]["bucketKeyEnabled"] is True
    else:
        assert default["sseAlgorithm"] in ("AES256", "aws:kms")


@pytest.mark.parametrize("zone", ZONES)
def test_versioning_enabled(plan, zone):
    versioning = _setting(plan, "BucketVersioning", zone)["versioningConfiguration"]
    assert versioning["status"] == "Enabled"


@pytest.mark.parametrize("zone", ZONES)
def test_policy_denies_any_request_without_tls(plan, zone):
    document = json.loads(_setting(plan, "BucketPolicy", zone)["policy"])
    arn = state_of(plan, by_name(plan, "aws:s3/bucket:Bucket", zone))["arn"]
    deny = [s for s in document["Statement"] if s["Effect"] == "Deny"
            and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"]
    assert len(deny) == 1
    assert deny[0]["Action"] == ["s3:*"]
    assert set(deny[0]["Resource"]) == {arn, f"{arn}/*"}
    assert not [s for s in document["Statement"] if s["Effect"] == "Allow"]


@pytest.mark.parametrize("zone", ZONES)
def test_noncurrent_versions_expire(plan, zone):
    rules = _setting(plan, "BucketLifecycleConfiguration", zone)["rules"]
    expiring = [r for r in rules
                if r["status"] == "Enabled" and r.get("noncurrentVersionExpiration")]
    assert expiring and expiring[0]["noncurrentVersionExpiration"]["noncurrentDays"] > 0


def test_old_raw_data_moves_to_a_cheaper_class(plan):
    rules = _setting(plan, "BucketLifecycleConfiguration", "raw")["rules"]
    classes = [t["storageClass"] for r in rules if r["status"] == "Enabled"
               for t in r.get("transitions", [])]
    assert classes and "STANDARD" not in classes


@pytest.mark.parametrize("zone", ZONES)
def test_prod_buckets_are_protected_and_never_force_destroyed(plan, zone):
    bucket = by_name(plan, "aws:s3/bucket:Bucket", zone)
    assert bucket.protect is is_prod(plan)
    assert bucket.retain_on_delete is is_prod(plan)
    assert bucket.inputs["forceDestroy"] is not is_prod(plan)


def test_prod_key_rotates_and_is_protected(plan):
    keys = plan.of_type("aws:kms/key:Key")
    if not is_prod(plan):
        assert keys == []
        return
    assert len(keys) == 1
    assert keys[0].inputs["enableKeyRotation"] is True
    assert keys[0].protect and keys[0].retain_on_delete
