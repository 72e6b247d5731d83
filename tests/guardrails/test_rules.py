"""Each rule fires on a deliberately broken copy of a real resource, on every cloud it covers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from tests.guardrails.conftest import DELETE, edited, first, policy_json, swapped
from tricloud.guardrails import RULES, Severity, check_plan
from tricloud.guardrails.rules import BY_ID
from tricloud.plan import PlannedResource, StackPlan

OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
ALLOW_SSH = [{"protocol": "tcp", "ports": ["22"]}]
OPEN_NSG_RULE = {"name": "ssh", "direction": "Inbound", "access": "Allow", "priority": 100,
                 "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*",
                 "destinationAddressPrefix": "*", "destinationPortRange": "22"}
Break = Callable[[PlannedResource], PlannedResource]

# (rule, stack, resource type, optional name, how to break it)
CASES: list[tuple[str, str, str, str | None, Break]] = [
    ("public-storage", "prod-aws", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
     "raw", lambda r: edited(r, blockPublicPolicy=False)),
    ("public-storage", "prod-aws", "aws:s3/bucket:Bucket", "raw",
     lambda r: edited(r, acl="public-read")),
    ("public-storage", "prod-aws", "aws:s3/bucketPolicy:BucketPolicy", "raw",
     lambda r: edited(r, policy=policy_json({"Sid": "Open", "Effect": "Allow", "Principal": "*",
                                             "Action": ["s3:GetObject"], "Resource": ["*"]}))),
    ("public-storage", "prod-gcp", "gcp:storage/bucket:Bucket", "raw",
     lambda r: edited(r, publicAccessPrevention="inherited")),
    ("public-storage", "prod-gcp", "gcp:storage/bucketIAMMember:BucketIAMMember", None,
     lambda r: edited(r, member="allUsers")),
    ("public-storage", "prod-azure", "azure-native:storage:StorageAccount", None,
     lambda r: edited(r, allowBlobPublicAccess=True)),
    # dev: prod turns public network access off, so its network rules no longer matter.
    ("public-storage", "dev-azure", "azure-native:storage:StorageAccount", None,
     lambda r: edited(r, networkRuleSet__defaultAction="Allow")),
    ("public-storage", "prod-azure", "azure-native:storage:BlobContainer", "raw",
     lambda r: edited(r, publicAccess="Blob")),
    ("unencrypted-data", "prod-aws", "aws:rds/instance:Instance", None,
     lambda r: edited(r, storageEncrypted=False)),
    ("unencrypted-data", "dev-aws", "aws:rds/parameterGroup:ParameterGroup", None,
     lambda r: edited(r, parameters=[{"name": "rds.force_ssl", "value": "0"}])),
    ("unencrypted-data", "prod-gcp", "gcp:sql/databaseInstance:DatabaseInstance", None,
     lambda r: edited(r, settings__ipConfiguration__sslMode="ALLOW_UNENCRYPTED_AND_ENCRYPTED")),
    ("unencrypted-data", "prod-azure", "azure-native:storage:StorageAccount", None,
     lambda r: edited(r, enableHttpsTrafficOnly=False)),
    ("unencrypted-data", "dev-azure", "azure-native:dbforpostgresql:Configuration", None,
     lambda r: edited(r, value="off")),
    # dev stacks: in prod a public database also breaks public-data-service.
    ("public-database", "dev-aws", "aws:rds/instance:Instance", None,
     lambda r: edited(r, publiclyAccessible=True)),
    ("public-database", "dev-gcp", "gcp:sql/databaseInstance:DatabaseInstance", None,
     lambda r: edited(r, settings__ipConfiguration__ipv4Enabled=True)),
    ("public-database", "dev-azure", "azure-native:dbforpostgresql:Server", None,
     lambda r: edited(r, network__publicNetworkAccess="Enabled")),
    ("open-ingress", "prod-aws", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
     None, lambda r: edited(r, cidrIpv4="0.0.0.0/0", referencedSecurityGroupId=DELETE)),
    ("open-ingress", "dev-aws", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
     None, lambda r: edited(r, cidrIpv6="::/0", referencedSecurityGroupId=DELETE)),
    ("open-ingress", "prod-gcp", "gcp:compute/firewall:Firewall", None,
     lambda r: edited(r, allows=ALLOW_SSH, denies=DELETE)),
    ("open-ingress", "prod-azure", "azure-native:network:NetworkSecurityGroup", "apps-nsg",
     lambda r: edited(r, securityRules=[*r.inputs["securityRules"], OPEN_NSG_RULE])),
    ("broad-iam", "prod-aws", "aws:iam/rolePolicy:RolePolicy", "task",
     lambda r: edited(r, policy=policy_json({"Sid": "All", "Effect": "Allow",
                                             "Action": "s3:*", "Resource": ["*"]}))),
    ("broad-iam", "dev-aws", "aws:iam/rolePolicy:RolePolicy", "execution",
     lambda r: edited(r, policy=policy_json({"Sid": "Admin", "Effect": "Allow",
                                             "Action": ["*"], "Resource": ["*"]}))),
    ("broad-iam", "prod-gcp", "gcp:projects/iAMMember:IAMMember", None,
     lambda r: edited(r, role="roles/editor")),
    ("broad-iam", "dev-gcp", "gcp:storage/bucketIAMMember:BucketIAMMember", None,
     lambda r: edited(r, role="roles/owner")),
    ("broad-iam", "prod-azure", "azure-native:authorization:RoleAssignment", None,
     lambda r: edited(r, roleDefinitionId=r.inputs["roleDefinitionId"].rsplit("/", 1)[0]
                      + "/" + CONTRIBUTOR)),
    ("broad-iam", "dev-azure", "azure-native:authorization:RoleAssignment", None,
     lambda r: edited(r, roleDefinitionId=f"/providers/Microsoft.Authorization/"
                      f"roleDefinitions/{OWNER}")),
    ("missing-tags", "prod-aws", "pulumi:providers:aws", None,
     lambda r: edited(r, defaultTags='{"tags": {"project": "tricloud"}}')),
    ("missing-tags", "prod-gcp", "gcp:monitoring/alertPolicy:AlertPolicy", None,
     lambda r: edited(r, userLabels=DELETE)),
    ("missing-tags", "prod-gcp", "gcp:sql/databaseInstance:DatabaseInstance", None,
     lambda r: edited(r, settings__userLabels={"project": "tricloud"})),
    ("missing-tags", "prod-azure", "azure-native:keyvault:Vault", None,
     lambda r: edited(r, tags=DELETE)),
    ("missing-tags", "dev-azure", "azure-native:storage:StorageAccount", None,
     lambda r: edited(r, tags={**r.inputs["tags"], "environment": "prod"})),
    ("unprotected-data-store", "prod-aws", "aws:s3/bucket:Bucket", "raw",
     lambda r: edited(r, opts={"protect": False})),
    ("unprotected-data-store", "prod-aws", "aws:rds/instance:Instance", None,
     lambda r: edited(r, deletionProtection=False)),
    ("unprotected-data-store", "prod-gcp", "gcp:sql/databaseInstance:DatabaseInstance", None,
     lambda r: edited(r, opts={"retain_on_delete": False})),
    ("unprotected-data-store", "prod-gcp", "gcp:storage/bucket:Bucket", "processed",
     lambda r: edited(r, forceDestroy=True)),
    ("unprotected-data-store", "prod-azure", "azure-native:keyvault:Vault", None,
     lambda r: edited(r, opts={"protect": False, "retain_on_delete": False})),
    ("unprotected-data-store", "prod-azure", "azure-native:storage:StorageAccount", None,
     lambda r: edited(r, opts={"protect": False})),
    ("public-data-service", "prod-aws", "aws:rds/instance:Instance", None,
     lambda r: edited(r, dbSubnetGroupName=DELETE)),
    ("public-data-service", "prod-gcp", "gcp:sql/databaseInstance:DatabaseInstance", None,
     lambda r: edited(r, settings__ipConfiguration__privateNetwork=DELETE)),
    ("public-data-service", "prod-azure", "azure-native:storage:StorageAccount", None,
     lambda r: edited(r, publicNetworkAccess="Enabled")),
    ("public-data-service", "prod-azure", "azure-native:keyvault:Vault", None,
     lambda r: edited(r, properties__publicNetworkAccess="Enabled")),
    ("public-data-service", "prod-azure", "azure-native:containerregistry:Registry", None,
     lambda r: edited(r, publicNetworkAccess="Enabled")),
    ("short-log-retention", "prod-aws", "aws:cloudwatch/logGroup:LogGroup", None,
     lambda r: edited(r, retentionInDays=30)),
    ("short-log-retention", "dev-aws", "aws:cloudwatch/logGroup:LogGroup", None,
     lambda r: edited(r, retentionInDays=3)),
    ("short-log-retention", "prod-gcp", "gcp:logging/projectBucketConfig:ProjectBucketConfig",
     None, lambda r: edited(r, retentionDays=DELETE)),
    ("short-log-retention", "prod-azure", "azure-native:operationalinsights:Workspace", None,
     lambda r: edited(r, retentionInDays=60)),
    ("telemetry-without-cmk", "prod-aws", "aws:cloudwatch/logGroup:LogGroup", "job",
     lambda r: edited(r, kmsKeyId=DELETE)),
    ("telemetry-without-cmk", "prod-aws", "aws:sns/topic:Topic", None,
     lambda r: edited(r, kmsMasterKeyId="alias/aws/sns")),
]
# Rules that read a setting only some clouds expose on a resource; every other rule covers all.
# GCP logging buckets and Azure workspaces take a customer key only through account-wide
# resources (organisation CMEK settings, a dedicated cluster), so there is no input to read.
PARTIAL_COVERAGE = {"telemetry-without-cmk": ("aws",)}


def _broken(synth, stack: str, type_: str, name: str | None, brk: Break) -> StackPlan:
    plan = synth(stack)
    return swapped(plan, brk(first(plan, type_, name)))


@pytest.mark.parametrize(("rule_id", "stack", "type_", "name", "brk"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2].rsplit(':', 1)[-1]}-{i}"
                              for i, c in enumerate(CASES)])
def test_rule_fires_on_a_broken_resource(synth, rule_id, stack, type_, name, brk):
    found = check_plan(_broken(synth, stack, type_, name, brk))
    assert found, f"{rule_id} did not fire"
    assert {v.rule_id for v in found} == {rule_id}
    v = found[0]
    assert v.stack == stack and v.severity is BY_ID[rule_id].severity
    assert "fix: " in v.message and v.message.split("fix: ", 1)[1]


def test_every_rule_fires_on_every_cloud_it_claims():
    covered = {(rule, _cloud(stack)) for rule, stack, *_ in CASES}
    claimed = {(rule.id, cloud) for rule in RULES for cloud in rule.clouds}
    assert claimed == covered
    for rule in RULES:
        assert rule.clouds == PARTIAL_COVERAGE.get(rule.id, ("aws", "azure", "gcp")), rule.id


def _cloud(stack: str) -> str:
    return stack.split("-")[1]


def test_rule_metadata_is_complete():
    assert len({r.id for r in RULES}) == len(RULES) == 10
    for rule in RULES:
        assert rule.title and isinstance(rule.severity, Severity)
        assert set(rule.fixes) == set(rule.clouds), rule.id


def test_dev_logs_and_topics_may_use_the_provider_key(synth):
    plan = synth("dev-aws")
    unkeyed = edited(first(plan, "aws:cloudwatch/logGroup:LogGroup", "job"), kmsKeyId=DELETE)
    assert not check_plan(swapped(plan, unkeyed))


def test_an_s3_bucket_without_a_public_access_block_is_flagged(synth):
    plan = synth("dev-aws")
    blocks = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
    found = check_plan(replace(plan, resources=[r for r in plan.resources if r.type != blocks]))
    assert {(v.rule_id, v.resource_type) for v in found} == {
        ("public-storage", "aws:s3/bucket:Bucket")}
    assert len(found) == len(plan.of_type("aws:s3/bucket:Bucket")) == 3  # raw, processed, logs


def test_provider_default_tags_count_and_only_where_the_provider_applies_them(synth):
    aws = synth("prod-aws")
    queue = first(aws, "aws:sqs/queue:Queue")
    assert "tags" not in queue.inputs  # tagged by the provider alone
    assert check_plan(aws) == []
    gcp = synth("prod-gcp")
    bucket = first(gcp, "gcp:storage/bucket:Bucket", "raw")
    assert check_plan(swapped(gcp, edited(bucket, labels=DELETE))) == []  # default_labels reach
    policy = first(gcp, "gcp:monitoring/alertPolicy:AlertPolicy")
    assert check_plan(swapped(gcp, edited(policy, userLabels=DELETE)))  # ...not user_labels


def test_a_resource_on_the_default_provider_needs_its_own_tags(synth):
    aws = synth("prod-aws")
    queue = first(aws, "aws:sqs/queue:Queue")
    found = check_plan(swapped(aws, replace(queue, provider=None)))
    assert [(v.rule_id, v.resource_type) for v in found] == [("missing-tags", queue.type)]


def test_dev_data_stores_need_no_protection_and_deny_rules_may_name_anywhere(synth):
    dev = synth("dev-gcp")
    bucket = first(dev, "gcp:storage/bucket:Bucket", "raw")
    assert not bucket.protect
    assert check_plan(swapped(dev, edited(bucket, forceDestroy=True))) == []
    deny_all = first(synth("prod-gcp"), "gcp:compute/firewall:Firewall")
    assert deny_all.inputs["sourceRanges"] == ["0.0.0.0/0"] and deny_all.inputs["denies"]


def test_dev_data_services_may_keep_firewall_rules(synth):
    dev = synth("dev-azure")
    for type_ in ("azure-native:storage:StorageAccount", "azure-native:containerregistry:Registry"):
        assert first(dev, type_, None).inputs["publicNetworkAccess"] == "Enabled"
    assert first(dev, "azure-native:keyvault:Vault", None).inputs["properties"][
        "publicNetworkAccess"] == "Enabled"
    assert [v for v in check_plan(dev) if v.rule_id == "public-data-service"] == []


def test_a_wildcard_resource_is_not_a_wildcard_action(synth):
    execution = first(synth("prod-aws"), "aws:iam/rolePolicy:RolePolicy", "execution")
    assert '"Resource": ["*"]' in execution.inputs["policy"]
    assert check_plan(synth("prod-aws")) == []


def test_a_deny_with_a_wildcard_action_is_fine(synth):
    policy = first(synth("prod-aws"), "aws:s3/bucketPolicy:BucketPolicy", "raw")
    assert '"s3:*"' in policy.inputs["policy"] and '"Deny"' in policy.inputs["policy"]


def test_dig_reads_mappings_lists_and_json_text_alike():
    from tricloud.guardrails.read import dig

    inputs = {"rules": [{"days": 30}], "policy": '{"Statement": [{"Effect": "Deny"}]}',
              "name": "abc"}
    assert dig(inputs, "rules.0.days") == 30
    assert dig(inputs, "policy.Statement.0.Effect") == "Deny"
    assert dig(inputs, "rules.1.days") is None
    assert dig(inputs, "name.0") is None  # a string is not a list
    assert dig({"0": "zero"}, "0") == "zero"  # a numeric key of a mapping stays a key
