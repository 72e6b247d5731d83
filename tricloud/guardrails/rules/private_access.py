"""(i) A prod data service reachable from outside the stack's network.

Storage, the secret store, the image registry and the warehouse hold or hand out the data, so in
prod they must answer only on private addresses: a leaked credential is then useless from the
internet. The table lists the types for which the kit makes this true today; a service still on
its public endpoint (S3, Secrets Manager and ECR on AWS; GCS, Secret Manager and Artifact
Registry on GCP, which would need VPC Service Controls) is not listed, so the rule claims no
coverage the platforms do not have. Dev keeps firewall rules (cheaper SKUs, pushes from a laptop)
and is not judged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from config.enums import Environment
from tricloud.guardrails.model import Resource, Rule, Severity, StackFacts
from tricloud.guardrails.read import TypeTable, dig


def _rds(r: Resource) -> Iterator[str]:
    if r.inputs.get("publiclyAccessible") is not False:
        yield "publicly_accessible is not false"
    if not r.inputs.get("dbSubnetGroupName"):
        yield "the instance is not placed in the stack's subnet group"


def _cloud_sql(r: Resource) -> Iterator[str]:
    ip = dig(r.inputs, "settings.ipConfiguration")
    if dig(ip, "ipv4Enabled") is not False or not dig(ip, "privateNetwork"):
        yield "the instance is not private-IP only on the stack's VPC"


def _disabled_at(path: str) -> Callable[[Resource], Iterator[str]]:
    """A reader for services whose public access is one setting at ``path``."""
    def read(r: Resource) -> Iterator[str]:
        if dig(r.inputs, path) != "Disabled":
            yield f"{path} is {dig(r.inputs, path)!r}, not 'Disabled' (use a private endpoint)"
    return read


def _azure_pg(r: Resource) -> Iterator[str]:
    yield from _disabled_at("network.publicNetworkAccess")(r)
    if not dig(r.inputs, "network.delegatedSubnetResourceId"):
        yield "the server is not in a delegated subnet of the stack's VNet"


READERS = TypeTable({
    "aws:rds/instance:Instance": _rds,
    "gcp:sql/databaseInstance:DatabaseInstance": _cloud_sql,
    "azure-native:storage:StorageAccount": _disabled_at("publicNetworkAccess"),
    "azure-native:keyvault:Vault": _disabled_at("properties.publicNetworkAccess"),
    "azure-native:containerregistry:Registry": _disabled_at("publicNetworkAccess"),
    "azure-native:dbforpostgresql:Server": _azure_pg,
})


def check(resource: Resource, facts: StackFacts) -> Iterator[str]:
    if facts.environment != Environment.PROD:
        return iter(())
    return READERS.check(resource, facts)


RULE = Rule(
    id="public-data-service", severity=Severity.MANDATORY,
    title="a prod data service (storage, secrets, registry, database) reachable publicly",
    fixes={
        "aws": "keep the RDS instance publicly_accessible=False in the stack's private subnet "
               "group",
        "gcp": "keep Cloud SQL on settings.ip_configuration.ipv4_enabled=False with a "
               "private_network",
        "azure": "set public_network_access 'Disabled' and reach it through a private endpoint "
                 "with its privatelink DNS zone (components/azure/network.private_endpoint)",
    },
    clouds=READERS.clouds, check=check,
)
