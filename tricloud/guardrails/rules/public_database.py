"""(c) A database with a public endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from tricloud.guardrails.model import Resource, Rule, Severity
from tricloud.guardrails.read import TypeTable, dig


def _rds(r: Resource) -> Iterator[str]:
    if r.inputs.get("publiclyAccessible") is True:
        yield "publicly_accessible is true"


def _cloud_sql(r: Resource) -> Iterator[str]:
    if dig(r.inputs, "settings.ipConfiguration.ipv4Enabled") is not False:
        yield "the instance has a public IPv4 address (ipv4_enabled is not false)"


def _azure_pg(r: Resource) -> Iterator[str]:
    network = dig(r.inputs, "network")
    if dig(network, "publicNetworkAccess") == "Enabled" or not dig(
            network, "delegatedSubnetResourceId"):
        yield "the server is not VNet-integrated or public network access is enabled"


READERS = TypeTable({
    "aws:rds/instance:Instance": _rds,
    "aws:rds/clusterInstance:ClusterInstance": _rds,
    "gcp:sql/databaseInstance:DatabaseInstance": _cloud_sql,
    "azure-native:dbforpostgresql:Server": _azure_pg,
})


RULE = Rule(
    id="public-database", severity=Severity.MANDATORY,
    title="a database with a public endpoint",
    fixes={
        "aws": "set publicly_accessible=False and keep it in private subnets",
        "gcp": "set settings.ip_configuration.ipv4_enabled=False with a private_network",
        "azure": "put the server in a delegated subnet with public_network_access 'Disabled'",
    },
    clouds=READERS.clouds, check=READERS.check,
)
