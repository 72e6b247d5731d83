"""(a) Storage reachable from the public internet."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from tricloud.guardrails.model import Resource, Rule, Severity, StackFacts
from tricloud.guardrails.read import TypeTable, as_list, as_mapping, dig, is_true

PUBLIC_ACLS = frozenset({"public-read", "public-read-write", "authenticated-read"})
PUBLIC_MEMBERS = frozenset({"allUsers", "allAuthenticatedUsers"})
BLOCK_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
AWS_BUCKETS = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
AWS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"


def _block_off(r: Resource) -> Iterator[str]:
    off = [f for f in BLOCK_FLAGS if not is_true(r.inputs.get(f))]
    if off:
        yield f"public access block of bucket {r.inputs.get('bucket')}: {', '.join(off)} off"


def _acl(r: Resource) -> Iterator[str]:
    if r.inputs.get("acl") in PUBLIC_ACLS:
        yield f"canned ACL {r.inputs['acl']!r} opens the bucket to everyone"


def _aws_policy(r: Resource) -> Iterator[str]:
    for s in as_list(as_mapping(r.inputs.get("policy")).get("Statement")):
        principal = as_mapping(s).get("Principal")
        anyone = principal == "*" or "*" in as_list(as_mapping(principal).get("AWS"))
        if as_mapping(s).get("Effect") == "Allow" and anyone and not as_mapping(s).get("Condition"):
            yield f"statement {as_mapping(s).get('Sid', '')!r} allows any principal"


def _gcs_bucket(r: Resource) -> Iterator[str]:
    if r.inputs.get("publicAccessPrevention") != "enforced":
        yield "public access prevention is not 'enforced'"


def _gcs_member(r: Resource) -> Iterator[str]:
    members = {*as_list(r.inputs.get("member")), *as_list(r.inputs.get("members")),
               *as_list(r.inputs.get("entity"))}
    for m in sorted(members & PUBLIC_MEMBERS):
        yield f"grants {r.inputs.get('role', 'access')} to {m}"


def _azure_account(r: Resource) -> Iterator[str]:
    if r.inputs.get("allowBlobPublicAccess") is not False:
        yield "allowBlobPublicAccess is not false"
    network_open = dig(r.inputs, "networkRuleSet.defaultAction") != "Deny"
    if r.inputs.get("publicNetworkAccess") != "Disabled" and network_open:
        yield "public network access is on and the network rules do not default to Deny"


def _azure_container(r: Resource) -> Iterator[str]:
    if r.inputs.get("publicAccess") not in (None, "None"):
        yield f"container public access is {r.inputs['publicAccess']!r}"


READERS = TypeTable({
    AWS_BLOCK: _block_off,
    **dict.fromkeys(AWS_BUCKETS, _acl),
    "aws:s3/bucketAclV2:BucketAclV2": _acl,
    "aws:s3/bucketAcl:BucketAcl": _acl,
    "aws:s3/bucketPolicy:BucketPolicy": _aws_policy,
    "gcp:storage/bucket:Bucket": _gcs_bucket,
    "re:gcp:storage/(bucketIAM(Member|Binding)|bucketAccessControl|defaultObjectAccessControl)"
    ":.*": _gcs_member,
    "azure-native:storage:StorageAccount": _azure_account,
    "azure-native:storage:BlobContainer": _azure_container,
})


def unblocked_buckets(resources: Sequence[Resource], facts: StackFacts
                      ) -> Iterator[tuple[Resource, str]]:
    """An S3 bucket is public-capable until a public access block names it."""
    blocked = {r.inputs.get("bucket") for r in resources if r.type == AWS_BLOCK}
    for r in resources:
        if r.type in AWS_BUCKETS and r.inputs.get("bucket") not in blocked:
            yield r, f"bucket {r.inputs.get('bucket')} has no public access block"


RULE = Rule(
    id="public-storage", severity=Severity.MANDATORY,
    title="storage reachable from the public internet",
    fixes={
        "aws": "give every bucket a BucketPublicAccessBlock with all four flags true, no public "
               "ACL and no Allow statement for Principal '*'",
        "gcp": "set public_access_prevention='enforced' and grant no role to allUsers or "
               "allAuthenticatedUsers",
        "azure": "set allow_blob_public_access=False, keep containers' public_access 'None' "
                 "and the network rules' default_action 'Deny'",
    },
    clouds=READERS.clouds, check=READERS.check, stack_check=unblocked_buckets,
)
