"""The checked-in inventory of each GCP stack: resource types and counts, and the values of
the security-relevant inputs (PINNED), compared on every run.

A change to what a stack declares, or to a default that protects it, must show up here in
review. When the change is intended, regenerate the tables (it rewrites the blocks between the
markers in this file):

    .venv/bin/python -m tests.infra.test_gcp_inventory
"""

from __future__ import annotations

import pytest

from tests.infra.inventory import assert_matches, assert_values, regenerate
from tests.infra.support_gcp import GCP_STACKS

# The inputs whose values are pinned below: what keeps the stack private, encrypted,
# recoverable and retained. A changed default shows as a diff of VALUES.
PINNED: dict[str, tuple[str, ...]] = {
    "gcp:storage/bucket:Bucket": (
        "uniformBucketLevelAccess", "publicAccessPrevention", "versioning.enabled",
        "forceDestroy", "lifecycleRules.0.condition.daysSinceNoncurrentTime",
        "lifecycleRules.2.condition.age"),
    "gcp:sql/databaseInstance:DatabaseInstance": (
        "deletionProtection", "settings.deletionProtectionEnabled",
        "settings.ipConfiguration.ipv4Enabled", "settings.ipConfiguration.sslMode",
        "settings.availabilityType", "settings.backupConfiguration.enabled",
        "settings.backupConfiguration.pointInTimeRecoveryEnabled",
        "settings.backupConfiguration.backupRetentionSettings.retainedBackups",
        "settings.databaseFlags"),
    "gcp:compute/subnetwork:Subnetwork": ("privateIpGoogleAccess",),
    "gcp:compute/firewall:Firewall": ("direction", "sourceRanges", "denies.0.protocol"),
    "gcp:kms/cryptoKey:CryptoKey": ("rotationPeriod",),
    "gcp:cloudrunv2/job:Job": ("deletionProtection", "template.template.vpcAccess.egress"),
    "gcp:artifactregistry/repository:Repository": ("cleanupPolicyDryRun", "kmsKeyName"),
    "gcp:projects/iAMAuditConfig:IAMAuditConfig": ("service", "auditLogConfigs"),
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": ("retentionDays",),
}

# BEGIN INVENTORY (generated; see the module docstring)
EXPECTED: dict[str, dict[str, int]] = {
    "dev-gcp": {
        "docker-build:index:Image": 1,
        "gcp:artifactregistry/repository:Repository": 1,
        "gcp:cloudrunv2/job:Job": 1,
        "gcp:cloudrunv2/jobIamMember:JobIamMember": 1,
        "gcp:cloudscheduler/job:Job": 1,
        "gcp:compute/firewall:Firewall": 1,
        "gcp:compute/globalAddress:GlobalAddress": 1,
        "gcp:compute/network:Network": 1,
        "gcp:compute/router:Router": 1,
        "gcp:compute/routerNat:RouterNat": 1,
        "gcp:compute/subnetwork:Subnetwork": 1,
        "gcp:logging/metric:Metric": 1,
        "gcp:logging/projectBucketConfig:ProjectBucketConfig": 2,
        "gcp:logging/projectSink:ProjectSink": 2,
        "gcp:monitoring/alertPolicy:AlertPolicy": 1,
        "gcp:monitoring/notificationChannel:NotificationChannel": 1,
        "gcp:projects/iAMAuditConfig:IAMAuditConfig": 1,
        "gcp:projects/iAMMember:IAMMember": 1,
        "gcp:projects/service:Service": 12,
        "gcp:secretmanager/secret:Secret": 2,
        "gcp:secretmanager/secretIamMember:SecretIamMember": 2,
        "gcp:secretmanager/secretVersion:SecretVersion": 2,
        "gcp:serviceaccount/account:Account": 2,
        "gcp:servicenetworking/connection:Connection": 1,
        "gcp:sql/database:Database": 1,
        "gcp:sql/databaseInstance:DatabaseInstance": 1,
        "gcp:sql/user:User": 1,
        "gcp:storage/bucket:Bucket": 2,
        "gcp:storage/bucketIAMMember:BucketIAMMember": 2,
        "pulumi:providers:docker-build": 1,
        "pulumi:providers:gcp": 1,
        "pulumi:providers:random": 1,
        "random:index/randomPassword:RandomPassword": 1,
        "tricloud:gcp:Database": 1,
        "tricloud:gcp:Identities": 1,
        "tricloud:gcp:ImageRegistry": 1,
        "tricloud:gcp:Job": 1,
        "tricloud:gcp:Monitoring": 1,
        "tricloud:gcp:Network": 1,
        "tricloud:gcp:Platform": 1,
        "tricloud:gcp:ProjectServices": 1,
        "tricloud:gcp:Schedule": 1,
        "tricloud:gcp:Secrets": 1,
        "tricloud:gcp:Storage": 1,
    },
    "prod-gcp": {
        "docker-build:index:Image": 1,
        "gcp:artifactregistry/repository:Repository": 1,
        "gcp:cloudrunv2/job:Job": 1,
        "gcp:cloudrunv2/jobIamMember:JobIamMember": 1,
        "gcp:cloudscheduler/job:Job": 1,
        "gcp:compute/firewall:Firewall": 1,
        "gcp:compute/globalAddress:GlobalAddress": 1,
        "gcp:compute/network:Network": 1,
        "gcp:compute/router:Router": 1,
        "gcp:compute/routerNat:RouterNat": 1,
        "gcp:compute/subnetwork:Subnetwork": 1,
        "gcp:kms/cryptoKey:CryptoKey": 1,
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 2,
        "gcp:kms/keyRing:KeyRing": 1,
        "gcp:logging/metric:Metric": 1,
        "gcp:logging/projectBucketConfig:ProjectBucketConfig": 2,
        "gcp:logging/projectSink:ProjectSink": 2,
        "gcp:monitoring/alertPolicy:AlertPolicy": 1,
        "gcp:monitoring/notificationChannel:NotificationChannel": 1,
        "gcp:projects/iAMAuditConfig:IAMAuditConfig": 1,
        "gcp:projects/iAMMember:IAMMember": 1,
        "gcp:projects/service:Service": 12,
        "gcp:projects/serviceIdentity:ServiceIdentity": 1,
        "gcp:secretmanager/secret:Secret": 2,
        "gcp:secretmanager/secretIamMember:SecretIamMember": 2,
        "gcp:secretmanager/secretVersion:SecretVersion": 2,
        "gcp:serviceaccount/account:Account": 2,
        "gcp:servicenetworking/connection:Connection": 1,
        "gcp:sql/database:Database": 1,
        "gcp:sql/databaseInstance:DatabaseInstance": 1,
        "gcp:sql/user:User": 1,
        "gcp:storage/bucket:Bucket": 2,
        "gcp:storage/bucketIAMMember:BucketIAMMember": 2,
        "pulumi:providers:docker-build": 1,
        "pulumi:providers:gcp": 1,
        "pulumi:providers:random": 1,
        "random:index/randomPassword:RandomPassword": 1,
        "tricloud:gcp:DataKey": 1,
        "tricloud:gcp:Database": 1,
        "tricloud:gcp:Identities": 1,
        "tricloud:gcp:ImageRegistry": 1,
        "tricloud:gcp:Job": 1,
        "tricloud:gcp:Monitoring": 1,
        "tricloud:gcp:Network": 1,
        "tricloud:gcp:Platform": 1,
        "tricloud:gcp:ProjectServices": 1,
        "tricloud:gcp:Schedule": 1,
        "tricloud:gcp:Secrets": 1,
        "tricloud:gcp:Storage": 1,
    },
}
# END INVENTORY

# BEGIN VALUES (generated; see the module docstring)
VALUES: dict[str, dict[str, object]] = {
    "dev-gcp": {
        "artifactregistry/repository:Repository images cleanupPolicyDryRun": False,
        "artifactregistry/repository:Repository images kmsKeyName": None,
        "cloudrunv2/job:Job pipeline deletionProtection": False,
        "cloudrunv2/job:Job pipeline template.template.vpcAccess.egress": "ALL_TRAFFIC",
        "compute/firewall:Firewall deny-all-ingress denies.0.protocol": "all",
        "compute/firewall:Firewall deny-all-ingress direction": "INGRESS",
        "compute/firewall:Firewall deny-all-ingress sourceRanges": ['0.0.0.0/0'],
        "compute/subnetwork:Subnetwork workloads privateIpGoogleAccess": True,
        "logging/projectBucketConfig:ProjectBucketConfig access-logs retentionDays": 14,
        "logging/projectBucketConfig:ProjectBucketConfig job-logs retentionDays": 14,
        "projects/iAMAuditConfig:IAMAuditConfig storage-data-access auditLogConfigs": [{'logType': 'DATA_READ'}, {'logType': 'DATA_WRITE'}],  # noqa: E501
        "projects/iAMAuditConfig:IAMAuditConfig storage-data-access service": "storage.googleapis.com",  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse deletionProtection": False,
        "sql/databaseInstance:DatabaseInstance warehouse settings.availabilityType": "ZONAL",
        "sql/databaseInstance:DatabaseInstance warehouse settings.backupConfiguration.backupRetentionSettings.retainedBackups": 7,  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.backupConfiguration.enabled": True,  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.backupConfiguration.pointInTimeRecoveryEnabled": True,  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.databaseFlags": [{'name': 'cloudsql.iam_authentication', 'value': 'on'}, {'name': 'log_connections', 'value': 'on'}, {'name': 'log_disconnections', 'value': 'on'}, {'name': 'log_min_duration_statement', 'value': '5000'}, {'name': 'log_checkpoints', 'value': 'on'}, {'name': 'log_hostname', 'value': 'on'}, {'name': 'log_lock_waits', 'value': 'on'}, {'name': 'log_min_messages', 'value': 'error'}, {'name': 'log_statement', 'value': 'ddl'}, {'name': 'cloudsql.enable_pgaudit', 'value': 'on'}, {'name': 'pgaudit.log', 'value': 'ddl,role'}],  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.deletionProtectionEnabled": False,
        "sql/databaseInstance:DatabaseInstance warehouse settings.ipConfiguration.ipv4Enabled": False,  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.ipConfiguration.sslMode": "ENCRYPTED_ONLY",  # noqa: E501
        "storage/bucket:Bucket processed forceDestroy": True,
        "storage/bucket:Bucket processed lifecycleRules.0.condition.daysSinceNoncurrentTime": 30,
        "storage/bucket:Bucket processed lifecycleRules.2.condition.age": 7,
        "storage/bucket:Bucket processed publicAccessPrevention": "enforced",
        "storage/bucket:Bucket processed uniformBucketLevelAccess": True,
        "storage/bucket:Bucket processed versioning.enabled": True,
        "storage/bucket:Bucket raw forceDestroy": True,
        "storage/bucket:Bucket raw lifecycleRules.0.condition.daysSinceNoncurrentTime": 30,
        "storage/bucket:Bucket raw lifecycleRules.2.condition.age": 7,
        "storage/bucket:Bucket raw publicAccessPrevention": "enforced",
        "storage/bucket:Bucket raw uniformBucketLevelAccess": True,
        "storage/bucket:Bucket raw versioning.enabled": True,
    },
    "prod-gcp": {
        "artifactregistry/repository:Repository images cleanupPolicyDryRun": False,
        "artifactregistry/repository:Repository images kmsKeyName": "projects/tricloud-prod-7310/locations/europe-west2/keyRings/keyring/cryptoKeys/storage",  # noqa: E501
        "cloudrunv2/job:Job pipeline deletionProtection": True,
        "cloudrunv2/job:Job pipeline template.template.vpcAccess.egress": "ALL_TRAFFIC",
        "compute/firewall:Firewall deny-all-ingress denies.0.protocol": "all",
        "compute/firewall:Firewall deny-all-ingress direction": "INGRESS",
        "compute/firewall:Firewall deny-all-ingress sourceRanges": ['0.0.0.0/0'],
        "compute/subnetwork:Subnetwork workloads privateIpGoogleAccess": True,
        "kms/cryptoKey:CryptoKey storage rotationPeriod": "7776000s",
        "logging/projectBucketConfig:ProjectBucketConfig access-logs retentionDays": 90,
        "logging/projectBucketConfig:ProjectBucketConfig job-logs retentionDays": 90,
        "projects/iAMAuditConfig:IAMAuditConfig storage-data-access auditLogConfigs": [{'logType': 'DATA_READ'}, {'logType': 'DATA_WRITE'}],  # noqa: E501
        "projects/iAMAuditConfig:IAMAuditConfig storage-data-access service": "storage.googleapis.com",  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse deletionProtection": True,
        "sql/databaseInstance:DatabaseInstance warehouse settings.availabilityType": "REGIONAL",
        "sql/databaseInstance:DatabaseInstance warehouse settings.backupConfiguration.backupRetentionSettings.retainedBackups": 30,  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.backupConfiguration.enabled": True,  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.backupConfiguration.pointInTimeRecoveryEnabled": True,  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.databaseFlags": [{'name': 'cloudsql.iam_authentication', 'value': 'on'}, {'name': 'log_connections', 'value': 'on'}, {'name': 'log_disconnections', 'value': 'on'}, {'name': 'log_min_duration_statement', 'value': '5000'}, {'name': 'log_checkpoints', 'value': 'on'}, {'name': 'log_hostname', 'value': 'on'}, {'name': 'log_lock_waits', 'value': 'on'}, {'name': 'log_min_messages', 'value': 'error'}, {'name': 'log_statement', 'value': 'ddl'}, {'name': 'cloudsql.enable_pgaudit', 'value': 'on'}, {'name': 'pgaudit.log', 'value': 'ddl,role'}],  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.deletionProtectionEnabled": True,
        "sql/databaseInstance:DatabaseInstance warehouse settings.ipConfiguration.ipv4Enabled": False,  # noqa: E501
        "sql/databaseInstance:DatabaseInstance warehouse settings.ipConfiguration.sslMode": "ENCRYPTED_ONLY",  # noqa: E501
        "storage/bucket:Bucket processed forceDestroy": False,
        "storage/bucket:Bucket processed lifecycleRules.0.condition.daysSinceNoncurrentTime": 30,
        "storage/bucket:Bucket processed lifecycleRules.2.condition.age": 7,
        "storage/bucket:Bucket processed publicAccessPrevention": "enforced",
        "storage/bucket:Bucket processed uniformBucketLevelAccess": True,
        "storage/bucket:Bucket processed versioning.enabled": True,
        "storage/bucket:Bucket raw forceDestroy": False,
        "storage/bucket:Bucket raw lifecycleRules.0.condition.daysSinceNoncurrentTime": 30,
        "storage/bucket:Bucket raw lifecycleRules.2.condition.age": 7,
        "storage/bucket:Bucket raw publicAccessPrevention": "enforced",
        "storage/bucket:Bucket raw uniformBucketLevelAccess": True,
        "storage/bucket:Bucket raw versioning.enabled": True,
    },
}
# END VALUES


@pytest.mark.parametrize("stack", GCP_STACKS)
def test_inventory_matches_the_checked_in_table(synth, stack):
    assert_matches(synth(stack), EXPECTED, __name__)


@pytest.mark.parametrize("stack", GCP_STACKS)
def test_security_relevant_values_match_the_checked_in_table(synth, stack):
    assert_values(synth(stack), VALUES, PINNED, __name__)


def test_every_gcp_stack_has_an_inventory():
    assert sorted(EXPECTED) == sorted(GCP_STACKS)


def test_prod_adds_only_the_data_key_and_its_users():
    dev, prod = EXPECTED["dev-gcp"], EXPECTED["prod-gcp"]
    extra = {t: prod[t] - dev.get(t, 0) for t in prod if prod[t] != dev.get(t, 0)}
    # The key, and the GCS and Artifact Registry agents' grants on it (one agent created).
    assert extra == {"gcp:kms/keyRing:KeyRing": 1, "gcp:kms/cryptoKey:CryptoKey": 1,
                     "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 2,
                     "gcp:projects/serviceIdentity:ServiceIdentity": 1,
                     "tricloud:gcp:DataKey": 1}


if __name__ == "__main__":
    regenerate(__file__, GCP_STACKS, PINNED)
