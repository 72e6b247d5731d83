"""The stack's VNet: a delegated subnet for PostgreSQL, one for Container Apps, NSGs, private DNS.

Nothing in the platform has a public endpoint: the database is reached only through the
delegated subnet and its private DNS zone, and the job runs in the apps subnet. Service endpoints
on the apps subnet let the storage account and Key Vault firewalls admit exactly this subnet.

With ``private_endpoints`` (prod), the storage account, Key Vault and registry turn public network
access off and are reached through private endpoints in an ``endpoints`` subnet; their
``privatelink`` DNS zones are linked to the VNet, so the job (VNet-integrated) resolves the usual
host names to the endpoints' private addresses. The subnet is reserved in every environment so
turning the option on moves no other subnet.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network

import pulumi
from pulumi_azure_native import network, privatedns

from components.azure.scope import Scope
from config.addressing import SubnetRequest, allocate
from config.enums import NatMode

# Container Apps workload-profile environments need at least a /27; a /23 leaves room to scale
# out. PostgreSQL Flexible Server needs a dedicated delegated subnet; a /24 holds HA standbys and
# read replicas.
# Private endpoints take one address each; a /27 leaves room for a few more services.
SUBNETS = (SubnetRequest("apps", 23), SubnetRequest("database", 24),
           SubnetRequest("endpoints", 27))
APPS_DELEGATION = "Microsoft.App/environments"
DATABASE_DELEGATION = "Microsoft.DBforPostgreSQL/flexibleServers"
APPS_SERVICE_ENDPOINTS = ("Microsoft.Storage", "Microsoft.KeyVault")
# Flexible Server requires its private zone to end in this suffix.
POSTGRES_ZONE_SUFFIX = "private.postgres.database.azure.com"
# Private link sub-resource (group id) -> the DNS zone Azure resolves it in. ``dfs`` is the Data
# Lake endpoint the pipeline's abfs:// URIs name, beside ``blob``.
PRIVATE_ZONES: dict[str, str] = {
    "blob": "privatelink.blob.core.windows.net",
    "dfs": "privatelink.dfs.core.windows.net",
    "vault": "privatelink.vaultcore.azure.net",
    "registry": "privatelink.azurecr.io",
}


@dataclass(frozen=True)
class NetworkArgs:
    cidr: IPv4Network
    nat: NatMode
    private_endpoints: bool = False  # storage, vault and registry reached only privately


@dataclass(frozen=True)
class PrivateLink:
    """Where a service's private endpoint goes: the endpoints subnet and the zone per group id."""

    subnet_id: pulumi.Input[str]
    zone_ids: dict[str, pulumi.Output[str]]


def private_endpoint(name: str, target_id: pulumi.Input[str], groups: tuple[str, ...],
                     link: PrivateLink, scope: Scope,
                     parent: pulumi.Resource) -> list[network.PrivateEndpoint]:
    """One endpoint per group id of ``target_id`` in the endpoints subnet, each registering its
    address in its private DNS zone (the zone group), so no DNS record is written by hand."""
    endpoints = []
    for group in groups:
        endpoint = network.PrivateEndpoint(
            f"{name}-{group}", resource_group_name=scope.resource_group_name,
            location=scope.location, subnet=network.SubnetArgs(id=link.subnet_id),
            private_link_service_connections=[network.PrivateLinkServiceConnectionArgs(
                name=f"{name}-{group}", private_link_service_id=target_id,
                group_ids=[group])],
            tags=scope.tags, opts=scope.child(parent))
        network.PrivateDnsZoneGroup(
            f"{name}-{group}", resource_group_name=scope.resource_group_name,
            private_endpoint_name=endpoint.name, private_dns_zone_group_name="default",
            private_dns_zone_configs=[network.PrivateDnsZoneConfigArgs(
                name=group, private_dns_zone_id=link.zone_ids[group])],
            opts=scope.child(parent))
        endpoints.append(endpoint)
    return endpoints


def deny_internet_inbound() -> network.SecurityRuleArgs:
    """An explicit deny, so the intent survives anyone adding an allow rule with a lower number."""
    return network.SecurityRuleArgs(
        name="deny-internet-inbound", priority=4096, direction="Inbound", access="Deny",
        protocol="*", source_address_prefix="Internet", source_port_range="*",
        destination_address_prefix="*", destination_port_range="*",
        description="Nothing in this VNet accepts traffic from the internet.")


class Network(pulumi.ComponentResource):
    """VNet, two delegated subnets each behind an NSG, and the PostgreSQL private DNS zone."""

    vnet_id: pulumi.Output[str]
    apps_subnet_id: pulumi.Output[str]
    database_subnet_id: pulumi.Output[str]
    postgres_dns_zone_id: pulumi.Output[str]
    # Where private endpoints go (``private_endpoints``); None keeps the firewall rules.
    private_link: PrivateLink | None
    # The job's fixed egress address, for the source database's allow-list ("" without NAT).
    egress_ip: pulumi.Output[str]

    def __init__(self, name: str, args: NetworkArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:azure:Network", name, None, opts)
        plan = allocate(args.cidr, SUBNETS)
        rg = scope.resource_group_name

        vnet = network.VirtualNetwork(
            "vnet", resource_group_name=rg, location=scope.location,
            address_space=network.AddressSpaceArgs(address_prefixes=[str(args.cidr)]),
            tags=scope.tags, opts=scope.child(self))
        groups = {
            tier: network.NetworkSecurityGroup(
                f"{tier}-nsg", resource_group_name=rg, location=scope.location,
                security_rules=[deny_internet_inbound()], tags=scope.tags, opts=scope.child(self))
            for tier in ("apps", "database")
        }
        egress = self._nat_gateway(scope, args.nat)
        apps = network.Subnet(
            "apps", resource_group_name=rg, virtual_network_name=vnet.name,
            address_prefix=str(plan["apps"]),
            network_security_group=network.NetworkSecurityGroupArgs(id=groups["apps"].id),
            delegations=[network.DelegationArgs(name="container-apps",
                                                service_name=APPS_DELEGATION)],
            service_endpoints=[network.ServiceEndpointPropertiesFormatArgs(service=s)
                               for s in APPS_SERVICE_ENDPOINTS],
            nat_gateway=network.SubResourceArgs(id=egress.id) if egress else None,
            opts=scope.child(self))
        # Subnets of one VNet are written one at a time: Azure rejects concurrent updates.
        database = network.Subnet(
            "database", resource_group_name=rg, virtual_network_name=vnet.name,
            address_prefix=str(plan["database"]),
            network_security_group=network.NetworkSecurityGroupArgs(id=groups["database"].id),
            delegations=[network.DelegationArgs(name="postgresql-flexible",
                                                service_name=DATABASE_DELEGATION)],
            # The database never initiates connections out of the VNet.
            default_outbound_access=False,
            opts=scope.child(self, depends_on=[apps]))
        zone = privatedns.PrivateZone(
            "postgres-dns", resource_group_name=rg, location="global",
            private_zone_name=f"{scope.ctx.stack}.{POSTGRES_ZONE_SUFFIX}",
            tags=scope.tags, opts=scope.child(self))
        link = privatedns.VirtualNetworkLink(
            "postgres-dns-link", resource_group_name=rg, location="global",
            private_zone_name=zone.name, registration_enabled=False,
            virtual_network=privatedns.SubResourceArgs(id=vnet.id),
            tags=scope.tags, opts=scope.child(self))

        self.private_link = (self._private_link(scope, vnet, plan["endpoints"], database)
                             if args.private_endpoints else None)
        self.egress_ip = (self._egress_ip.ip_address.apply(lambda ip: ip or "")
                          if egress else pulumi.Output.from_input(""))
        self.vnet_id = vnet.id
        self.apps_subnet_id = apps.id
        self.database_subnet_id = database.id
        # The server must not be created before its zone resolves inside the VNet.
        self.postgres_dns_zone_id = pulumi.Output.all(zone.id, link.id).apply(lambda ids: ids[0])
        self.register_outputs({
            "vnet_id": self.vnet_id, "apps_subnet_id": self.apps_subnet_id,
            "database_subnet_id": self.database_subnet_id,
            "postgres_dns_zone_id": self.postgres_dns_zone_id, "egress_ip": self.egress_ip,
        })

    def _private_link(self, scope: Scope, vnet: network.VirtualNetwork, cidr: IPv4Network,
                      after: network.Subnet) -> PrivateLink:
        """The endpoints subnet (behind its own NSG) and the privatelink zones on the VNet."""
        rg = scope.resource_group_name
        group = network.NetworkSecurityGroup(
            "endpoints-nsg", resource_group_name=rg, location=scope.location,
            security_rules=[deny_internet_inbound()], tags=scope.tags, opts=scope.child(self))
        subnet = network.Subnet(
            "endpoints", resource_group_name=rg, virtual_network_name=vnet.name,
            address_prefix=str(cidr),
            network_security_group=network.NetworkSecurityGroupArgs(id=group.id),
            # NSG rules apply to the endpoints too, not only to ordinary NICs.
            private_endpoint_network_policies="Enabled", default_outbound_access=False,
            opts=scope.child(self, depends_on=[after]))
        zone_ids: dict[str, pulumi.Output[str]] = {}
        for group_id, zone_name in PRIVATE_ZONES.items():
            zone = privatedns.PrivateZone(
                f"{group_id}-dns", resource_group_name=rg, location="global",
                private_zone_name=zone_name, tags=scope.tags, opts=scope.child(self))
            link = privatedns.VirtualNetworkLink(
                f"{group_id}-dns-link", resource_group_name=rg, location="global",
                private_zone_name=zone.name, registration_enabled=False,
                virtual_network=privatedns.SubResourceArgs(id=vnet.id),
                tags=scope.tags, opts=scope.child(self))
            zone_ids[group_id] = pulumi.Output.all(zone.id, link.id).apply(lambda ids: ids[0])
        return PrivateLink(subnet_id=subnet.id, zone_ids=zone_ids)

    def _nat_gateway(self, scope: Scope, mode: NatMode) -> network.NatGateway | None:
        """Egress for the job (it reads the external OLTP source) through a fixed public IP.

        A subnet takes one NAT gateway, so ``single`` and ``per_zone`` both get one; ``none``
        leaves the job without internet egress (the source must then be reachable privately).
        """
        if mode is NatMode.NONE:
            return None
        rg = scope.resource_group_name
        self._egress_ip = network.PublicIPAddress(
            "egress-ip", resource_group_name=rg, location=scope.location,
            sku=network.PublicIPAddressSkuArgs(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static", public_ip_address_version="IPv4",
            tags=scope.tags, opts=scope.child(self))
        return network.NatGateway(
            "egress", resource_group_name=rg, location=scope.location,
            sku=network.NatGatewaySkuArgs(name="Standard"), idle_timeout_in_minutes=10,
            public_ip_addresses=[network.SubResourceArgs(id=self._egress_ip.id)],
            tags=scope.tags, opts=scope.child(self))
