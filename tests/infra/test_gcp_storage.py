"""Storage secure defaults: private versioned buckets, lifecycle, CMEK and protection in prod."""

from __future__ import annotations

import pytest

from components.gcp.storage import ZONES
from tests.infra.support_gcp import GCP_STACKS, by_name, is_prod, platform_of

CLOUD = "gcp"

BUCKET = "gcp:storage/bucket:Bucket"


def buckets(plan):
    return {zone: by_name(plan, BUCKET, zone) for zone in ZONES}


def test_exactly_raw_and_processed(plan):
    assert sorted(b.name for b in plan.of_type(BUCKET)) == sorted(ZONES)


def test_names_are_unique_per_stack_and_valid(plan, synth):
    names = {b.inputs["name"] for s in GCP_STACKS for b in synth(s).of_type(BUCKET)}
    assert len(names) == len(GCP_STACKS) * len(ZONES)
    assert all(3 <= len(n) <= 63 and n.islower() for n in names)


@pytest.mark.parametrize("zone", ZONES)
def test_uniform_access_and_public_access_prevention(plan, zone):
    bucket = buckets(plan)[zone].inputs
    assert bucket["uniformBucketLevelAccess"] is True
    assert bucket["publicAccessPrevention"] == "enforced"


@pytest.mark.parametrize("zone", ZONES)
def test_versioning_and_lifecycle(plan, zone):
    bucket = buckets(plan)[zone].inputs
    assert bucket["versioning"] == {"enabled": True}
    actions = {(r["action"]["type"], tuple(sorted(r["condition"]))) for r in
               bucket["lifecycleRules"]}
    assert ("Delete", ("daysSinceNoncurrentTime", "withState")) in actions
    assert ("AbortIncompleteMultipartUpload", ("age",)) in actions


@pytest.mark.parametrize("zone", ZONES)
def test_in_the_stack_region(plan, zone):
    assert buckets(plan)[zone].inputs["location"] == platform_of(plan.stack).region


@pytest.mark.parametrize("zone", ZONES)
def test_customer_managed_key_in_prod_only(plan, zone):
    bucket = buckets(plan)[zone].inputs
    if is_prod(plan):
        key = plan.one("gcp:kms/cryptoKey:CryptoKey")
        assert bucket["encryption"]["defaultKmsKeyName"].endswith(f"/cryptoKeys/{key.name}")
        assert key.inputs["rotationPeriod"] == f"{90 * 24 * 3600}s"
    else:
        assert "encryption" not in bucket
        assert not plan.of_type("gcp:kms/cryptoKey:CryptoKey")


def test_only_the_storage_and_registry_agents_may_use_the_key(plan):
    grants = plan.of_type("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")
    if not is_prod(plan):
        assert not grants
        return
    assert sorted(g.inputs["member"].split("@", 1)[1] for g in grants) == [
        "gcp-sa-artifactregistry.iam.gserviceaccount.com",
        "gs-project-accounts.iam.gserviceaccount.com"]
    key = plan.one("gcp:kms/cryptoKey:CryptoKey").name
    for grant in grants:
        assert grant.inputs["role"] == "roles/cloudkms.cryptoKeyEncrypterDecrypter"
        assert grant.inputs["cryptoKeyId"].endswith(f"/cryptoKeys/{key}")


def test_data_access_of_cloud_storage_is_audited(plan):
    (audit,) = plan.of_type("gcp:projects/iAMAuditConfig:IAMAuditConfig")
    assert audit.inputs["service"] == "storage.googleapis.com"
    assert audit.inputs["project"] == platform_of(plan.stack).gcp.project
    assert sorted(c["logType"] for c in audit.inputs["auditLogConfigs"]) == [
        "DATA_READ", "DATA_WRITE"]
    assert not any(c.get("exemptedMembers") for c in audit.inputs["auditLogConfigs"])


def test_access_logs_of_both_buckets_are_kept_the_stack_log_retention(plan):
    log_bucket = by_name(plan, "gcp:logging/projectBucketConfig:ProjectBucketConfig",
                         "access-logs").inputs
    assert log_bucket["retentionDays"] == platform_of(plan.stack).monitoring.log_retention_days
    sink = by_name(plan, "gcp:logging/projectSink:ProjectSink", "access-logs").inputs
    assert sink["destination"].endswith(f"/buckets/{log_bucket['bucketId']}")
    assert "data_access" in sink["filter"]
    for bucket in buckets(plan).values():
        assert f'"{bucket.inputs["name"]}"' in sink["filter"]


@pytest.mark.parametrize("zone", ZONES)
def test_no_force_destroy_and_protection_in_prod(plan, zone):
    bucket = buckets(plan)[zone]
    prod = is_prod(plan)
    assert bucket.inputs["forceDestroy"] is (not prod)
    assert (bucket.protect, bucket.retain_on_delete) == (prod, prod)


def test_keys_are_protected_in_prod(plan):
    for type_ in ("gcp:kms/keyRing:KeyRing", "gcp:kms/cryptoKey:CryptoKey"):
        for r in plan.of_type(type_):
            assert r.protect and r.retain_on_delete
