"""The stack's VNet: a delegated subnet for PostgreSQL, one for Container Apps, NSGs, private DNS.

Nothing in the platform has a public endpoint: the database is reached only through the
delegated subnet and its private DNS zone, and the job runs in the apps subnet. Service endpoints
on the apps subnet let the storage account and Key Vault firewalls admit exactly this subnet.
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
SUBNETS = (SubnetRequest("apps", 23), SubnetRequest("database", 24))
APPS_DELEGATION = "Microsoft.App/environments"
DATABASE_DELEGATION = "Microsoft.DBforPostgreSQL/flexibleServers"
APPS_SERVICE_ENDPOINTS = ("Microsoft.Storage", "Microsoft.KeyVault")
# Flexible Server requires its private zone to end in this suffix.
POSTGRES_ZONE_SUFFIX = "private.postgres.database.azure.com"


@dataclass(frozen=True)
class NetworkArgs:
    cidr: IPv4Network
    nat: NatMode


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
