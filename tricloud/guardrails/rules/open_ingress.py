"""(d) Ingress allowed from anywhere (0.0.0.0/0 or ::/0)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from tricloud.guardrails.model import Resource, Rule, Severity
from tricloud.guardrails.read import TypeTable, as_list, as_mapping

ANYWHERE = frozenset({"0.0.0.0/0", "::/0"})
AZURE_ANYWHERE = ANYWHERE | {"*", "Internet", "Any", "0.0.0.0"}


def _open(ranges: Any) -> list[str]:
    return sorted(set(as_list(ranges)) & ANYWHERE)


def _aws_rule(r: Resource) -> Iterator[str]:
    for cidr in _open([r.inputs.get("cidrIpv4"), r.inputs.get("cidrIpv6")]):
        yield f"ingress from {cidr} on port {r.inputs.get('fromPort', 'any')}"


def _aws_legacy_rule(r: Resource) -> Iterator[str]:
    if r.inputs.get("type") == "ingress":
        for cidr in _open([*as_list(r.inputs.get("cidrBlocks")),
                           *as_list(r.inputs.get("ipv6CidrBlocks"))]):
            yield f"ingress from {cidr} on port {r.inputs.get('fromPort', 'any')}"


def _aws_group(r: Resource) -> Iterator[str]:
    for rule in as_list(r.inputs.get("ingress")):
        rule = as_mapping(rule)
        for cidr in _open([*as_list(rule.get("cidrBlocks")), *as_list(rule.get("ipv6CidrBlocks"))]):
            yield f"inline ingress from {cidr} on port {rule.get('fromPort', 'any')}"


def _gcp_firewall(r: Resource) -> Iterator[str]:
    if r.inputs.get("direction", "INGRESS") == "INGRESS" and as_list(r.inputs.get("allows")):
        for cidr in _open(r.inputs.get("sourceRanges")):
            yield f"firewall allows ingress from {cidr}"


def _azure_rule(rule: Mapping[str, Any]) -> list[str]:
    if rule.get("direction") != "Inbound" or rule.get("access") != "Allow":
        return []
    sources = {*as_list(rule.get("sourceAddressPrefix")),
               *as_list(rule.get("sourceAddressPrefixes"))}
    return [f"rule {rule.get('name')!r} allows inbound from {s!r}"
            for s in sorted(sources & AZURE_ANYWHERE)]


def _azure_nsg(r: Resource) -> Iterator[str]:
    for rule in as_list(r.inputs.get("securityRules")):
        yield from _azure_rule(as_mapping(rule))


def _azure_security_rule(r: Resource) -> Iterator[str]:
    yield from _azure_rule({**r.inputs, "name": r.inputs.get("securityRuleName", r.name)})


def _azure_db_firewall(r: Resource) -> Iterator[str]:
    if (r.inputs.get("startIpAddress"), r.inputs.get("endIpAddress")) == ("0.0.0.0",
                                                                          "255.255.255.255"):
        yield "firewall rule admits every IPv4 address"


READERS = TypeTable({
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _aws_rule,
    "aws:ec2/securityGroupRule:SecurityGroupRule": _aws_legacy_rule,
    "aws:ec2/securityGroup:SecurityGroup": _aws_group,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": _aws_group,
    "gcp:compute/firewall:Firewall": _gcp_firewall,
    "azure-native:network:NetworkSecurityGroup": _azure_nsg,
    "azure-native:network:SecurityRule": _azure_security_rule,
    "azure-native:dbforpostgresql:FirewallRule": _azure_db_firewall,
})


RULE = Rule(
    id="open-ingress", severity=Severity.MANDATORY,
    title="ingress from 0.0.0.0/0 or ::/0",
    fixes={
        "aws": "admit a referenced security group or the VPC range, not 0.0.0.0/0 or ::/0",
        "gcp": "allow only the needed source ranges or service accounts; keep 0.0.0.0/0 for "
               "deny rules only",
        "azure": "allow a subnet range or service tag as the source, not '*', 'Internet' or "
                 "0.0.0.0/0",
    },
    clouds=READERS.clouds, check=READERS.check,
)
