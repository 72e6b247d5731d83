"""The checked-in inventory of each GCP stack: resource types and counts, compared on every run.

A change to what a stack declares must show up here in review. When the change is intended,
regenerate the table (it rewrites the block between the markers in this file):

    .venv/bin/python -m tests.infra.test_gcp_inventory
"""

from __future__ import annotations

import pytest

from tests.infra.inventory import assert_matches, regenerate
from tests.infra.support_gcp import GCP_STACKS

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
        "gcp:logging/projectBucketConfig:ProjectBucketConfig": 1,
        "gcp:logging/projectSink:ProjectSink": 1,
        "gcp:monitoring/alertPolicy:AlertPolicy": 1,
        "gcp:monitoring/notificationChannel:NotificationChannel": 1,
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
        "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
        "gcp:kms/keyRing:KeyRing": 1,
        "gcp:logging/metric:Metric": 1,
        "gcp:logging/projectBucketConfig:ProjectBucketConfig": 1,
        "gcp:logging/projectSink:ProjectSink": 1,
        "gcp:monitoring/alertPolicy:AlertPolicy": 1,
        "gcp:monitoring/notificationChannel:NotificationChannel": 1,
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


@pytest.mark.parametrize("stack", GCP_STACKS)
def test_inventory_matches_the_checked_in_table(stack, synth):
    assert_matches(synth(stack), EXPECTED, __name__)


def test_every_gcp_stack_has_an_inventory():
    assert sorted(EXPECTED) == sorted(GCP_STACKS)


def test_prod_adds_only_the_data_key():
    dev, prod = EXPECTED["dev-gcp"], EXPECTED["prod-gcp"]
    extra = {t: prod[t] - dev.get(t, 0) for t in prod if prod[t] != dev.get(t, 0)}
    assert extra == {"gcp:kms/keyRing:KeyRing": 1, "gcp:kms/cryptoKey:CryptoKey": 1,
                     "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": 1,
                     "tricloud:gcp:DataKey": 1}


if __name__ == "__main__":
    regenerate(__file__, GCP_STACKS)
