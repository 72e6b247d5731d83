"""IAM: no basic roles, every binding from this stack's accounts onto this stack's resources.

The allow-lists below are the review surface: widening access means editing them, with a reason.
"""

from __future__ import annotations

from tests.infra.support_gcp import platform_of

CLOUD = "gcp"

# Roles a binding type may grant, and why that role is the narrowest that works.
ALLOWED_ROLES: dict[str, dict[str, str]] = {
    "gcp:storage/bucketIAMMember:BucketIAMMember": {
        "roles/storage.objectUser": "the job reads, writes and overwrites objects (watermarks)",
    },
    "gcp:secretmanager/secretIamMember:SecretIamMember": {
        "roles/secretmanager.secretAccessor": "the job reads its two secrets at start",
    },
    "gcp:projects/iAMMember:IAMMember": {
        "roles/cloudsql.client": "Cloud SQL has no instance-level IAM",
    },
    "gcp:cloudrunv2/jobIamMember:JobIamMember": {
        "roles/run.invoker": "the scheduler starts this one job",
    },
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": {
        "roles/cloudkms.cryptoKeyEncrypterDecrypter": "GCS encrypts the buckets with the key",
    },
}
# Google-managed identities allowed as members, and why.
SERVICE_AGENTS: dict[str, str] = {
    "@gs-project-accounts.iam.gserviceaccount.com": "the GCS agent must use the bucket key",
    "@gcp-sa-artifactregistry.iam.gserviceaccount.com":
        "the Artifact Registry agent must use the stack key for the image repository",
}
BASIC_ROLES = {"roles/owner", "roles/editor", "roles/viewer"}
IAM_TYPES = ("IAMMember", "IAMBinding", "IAMPolicy", "IamMember", "IamBinding", "IamPolicy")


def bindings(plan):
    return [r for r in plan.resources if r.type.rsplit(":", 1)[-1].endswith(IAM_TYPES)]


def accounts(plan):
    project = platform_of(plan.stack).gcp.project
    return {a.name: f"serviceAccount:{a.inputs['accountId']}@{project}.iam.gserviceaccount.com"
            for a in plan.of_type("gcp:serviceaccount/account:Account")}


def test_only_member_bindings_no_authoritative_policies(plan):
    assert bindings(plan)
    assert all(b.type.rsplit(":", 1)[-1].endswith(("IAMMember", "IamMember"))
               for b in bindings(plan))


def test_no_basic_roles_anywhere(plan):
    assert not [b.name for b in bindings(plan) if b.inputs["role"] in BASIC_ROLES]


def test_no_project_wide_storage_roles(plan):
    for b in plan.of_type("gcp:projects/iAMMember:IAMMember"):
        assert not b.inputs["role"].startswith("roles/storage."), b.name


def test_every_role_is_allow_listed(plan):
    for b in bindings(plan):
        assert b.inputs["role"] in ALLOWED_ROLES.get(b.type, {}), f"{b.type} {b.inputs['role']}"


def test_every_member_is_a_stack_account_or_a_listed_agent(plan):
    mine = set(accounts(plan).values())
    for b in bindings(plan):
        member = b.inputs["member"]
        assert member in mine or any(member.endswith(a) for a in SERVICE_AGENTS), member


def test_every_resource_is_this_stacks(plan):
    buckets = {b.inputs["name"] for b in plan.of_type("gcp:storage/bucket:Bucket")}
    project = platform_of(plan.stack).gcp.project
    secrets = {f"projects/{project}/secrets/{s.inputs['secretId']}"
               for s in plan.of_type("gcp:secretmanager/secret:Secret")}
    job = plan.one("gcp:cloudrunv2/job:Job").name
    for b in plan.of_type("gcp:storage/bucketIAMMember:BucketIAMMember"):
        assert b.inputs["bucket"] in buckets
    for b in plan.of_type("gcp:secretmanager/secretIamMember:SecretIamMember"):
        assert b.inputs["secretId"] in secrets
    for b in plan.of_type("gcp:cloudrunv2/jobIamMember:JobIamMember"):
        assert b.inputs["name"] == job
    for b in plan.of_type("gcp:projects/iAMMember:IAMMember"):
        assert b.inputs["project"] == project


def test_job_account_reaches_exactly_both_buckets_and_both_secrets(plan):
    job = accounts(plan)["job"]
    bucket_grants = [b for b in plan.of_type("gcp:storage/bucketIAMMember:BucketIAMMember")
                     if b.inputs["member"] == job]
    secret_grants = [b for b in plan.of_type("gcp:secretmanager/secretIamMember:SecretIamMember")
                     if b.inputs["member"] == job]
    assert len({b.inputs["bucket"] for b in bucket_grants}) == 2
    assert len({b.inputs["secretId"] for b in secret_grants}) == 2
    sql = [b.inputs["role"] for b in plan.of_type("gcp:projects/iAMMember:IAMMember")
           if b.inputs["member"] == job]
    assert sql == ["roles/cloudsql.client"]


def test_scheduler_may_only_run_the_job(plan):
    scheduler = accounts(plan)["scheduler"]
    grants = [b for b in bindings(plan) if b.inputs["member"] == scheduler]
    assert [(g.type, g.inputs["role"]) for g in grants] == [
        ("gcp:cloudrunv2/jobIamMember:JobIamMember", "roles/run.invoker")]


def test_service_account_ids_fit_the_api(plan):
    for account in plan.of_type("gcp:serviceaccount/account:Account"):
        account_id = account.inputs["accountId"]
        assert 6 <= len(account_id) <= 30 and account_id[0].isalpha(), account_id
