"""The raw and processed buckets' secure defaults, on every AWS stack."""

from __future__ import annotations

import json

import pytest

from components.aws.mocks import ACCOUNT_ID
from components.aws.storage import ACCESS_LOGS, LOGGING_SERVICE
from tests.infra.support_aws import by_name, is_prod, platform_of, state_of

CLOUD = "aws"

ZONES = ("raw", "processed")
BUCKETS = (*ZONES, ACCESS_LOGS)


def _setting(plan, kind, zone):
    return by_name(plan, f"aws:s3/{kind[0].lower()}{kind[1:]}:{kind}", zone).inputs


def _bucket_id(plan, zone):
    return state_of(plan, by_name(plan, "aws:s3/bucket:Bucket", zone))["id"]


def test_two_data_buckets_and_a_log_bucket_named_for_the_stack(plan):
    buckets = {r.name: r.inputs["bucket"] for r in plan.of_type("aws:s3/bucket:Bucket")}
    assert set(buckets) == {*ZONES, ACCESS_LOGS}
    assert all(plan.stack in name for name in buckets.values())
    assert plan.outputs["raw_storage_uri"] == f"s3://{buckets['raw']}"
    assert plan.outputs["processed_storage_uri"] == f"s3://{buckets['processed']}"


@pytest.mark.parametrize("zone", BUCKETS)
def test_all_four_public_access_blocks_are_on(plan, zone):
    block = _setting(plan, "BucketPublicAccessBlock", zone)
    assert block["bucket"] == _bucket_id(plan, zone)
    for key in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                "restrictPublicBuckets"):
        assert block[key] is True, key


@pytest.mark.parametrize("zone", BUCKETS)
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


@pytest.mark.parametrize("zone", BUCKETS)
def test_versioning_enabled(plan, zone):
    versioning = _setting(plan, "BucketVersioning", zone)["versioningConfiguration"]
    assert versioning["status"] == "Enabled"


@pytest.mark.parametrize("zone", BUCKETS)
def test_policy_denies_any_request_without_tls(plan, zone):
    document = json.loads(_setting(plan, "BucketPolicy", zone)["policy"])
    arn = state_of(plan, by_name(plan, "aws:s3/bucket:Bucket", zone))["arn"]
    deny = [s for s in document["Statement"] if s["Effect"] == "Deny"
            and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"]
    assert len(deny) == 1
    assert deny[0]["Action"] == ["s3:*"]
    assert set(deny[0]["Resource"]) == {arn, f"{arn}/*"}
    allowed = [s["Principal"] for s in document["Statement"] if s["Effect"] == "Allow"]
    assert allowed == ([{"Service": LOGGING_SERVICE}] if zone == ACCESS_LOGS else [])


@pytest.mark.parametrize("zone", ZONES)
def test_access_logs_of_each_data_bucket_go_to_the_log_bucket(plan, zone):
    logging = _setting(plan, "BucketLogging", zone)
    assert logging["bucket"] == _bucket_id(plan, zone)
    assert logging["targetBucket"] == _bucket_id(plan, ACCESS_LOGS)
    assert logging["targetPrefix"] == f"{zone}/"


def test_log_bucket_is_not_logged_into_itself(plan):
    logged = {r.inputs["bucket"] for r in plan.of_type("aws:s3/bucketLogging:BucketLogging")}
    assert logged == {_bucket_id(plan, zone) for zone in ZONES}


def test_log_bucket_admits_only_the_logging_service_for_this_stacks_buckets(plan):
    document = json.loads(_setting(plan, "BucketPolicy", ACCESS_LOGS)["policy"])
    arn = state_of(plan, by_name(plan, "aws:s3/bucket:Bucket", ACCESS_LOGS))["arn"]
    (allow,) = [s for s in document["Statement"] if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": LOGGING_SERVICE}
    assert allow["Action"] == ["s3:PutObject"] and allow["Resource"] == [f"{arn}/*"]
    sources = {state_of(plan, by_name(plan, "aws:s3/bucket:Bucket", z))["arn"] for z in ZONES}
    assert set(allow["Condition"]["ArnLike"]["aws:SourceArn"]) == sources
    assert allow["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT_ID}


def test_log_bucket_uses_sse_s3_the_only_encryption_the_logging_service_writes(plan):
    rules = _setting(plan, "BucketServerSideEncryptionConfiguration", ACCESS_LOGS)["rules"]
    assert rules[0]["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}


def test_access_logs_expire_with_the_stacks_log_retention(plan):
    rules = _setting(plan, "BucketLifecycleConfiguration", ACCESS_LOGS)["rules"]
    days = platform_of(plan.stack).monitoring.log_retention_days
    assert [r["expiration"]["days"] for r in rules if r.get("expiration")] == [days]


@pytest.mark.parametrize("zone", BUCKETS)
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


@pytest.mark.parametrize("zone", BUCKETS)
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
