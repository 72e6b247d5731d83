"""The stack's private network: custom-mode VPC, one regional subnet, Cloud NAT, private services.

GCP subnets are regional (they span every zone), so ``network.zones`` needs no subnet per zone;
Cloud NAT is a managed regional service, so ``single`` and ``per_zone`` both get one gateway and
``none`` gets none. Cloud SQL reaches the VPC through private services access only.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from components.gcp.scope import Scope
from config.addressing import SubnetRequest, allocate
from config.enums import NatMode

WORKLOADS = "workloads"
PRIVATE_SERVICES = "private-services"


@dataclass(frozen=True)
class NetworkArgs:
    cidr: ipaddress.IPv4Network
    nat: NatMode


def address_plan(cidr: ipaddress.IPv4Network) -> dict[str, ipaddress.IPv4Network]:
    """A quarter of the range each for the job's subnet and the private services range.

    The other half stays free for growth; both blocks are at least /24, the smallest range
    private services access accepts, for every range the config allows (/16 to /22).
    """
    prefix = cidr.prefixlen + 2
    return allocate(cidr, [SubnetRequest(WORKLOADS, prefix),
                           SubnetRequest(PRIVATE_SERVICES, prefix)])


class Network(pulumi.ComponentResource):
    """VPC, subnet with Private Google Access and flow logs, NAT, deny-ingress firewall."""

    network: gcp.compute.Network
    subnet: gcp.compute.Subnetwork
    private_services: gcp.servicenetworking.Connection

    def __init__(self, name: str, args: NetworkArgs, scope: Scope,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("tricloud:gcp:Network", name, None, opts)
        plan = address_plan(args.cidr)
        self.network = gcp.compute.Network(
            "vpc", auto_create_subnetworks=False, routing_mode="REGIONAL",
            delete_default_routes_on_create=False,
            description="tricloud: private network of the pipeline and warehouse",
            opts=scope.child(self))
        self.subnet = gcp.compute.Subnetwork(
            WORKLOADS, network=self.network.id, region=scope.region,
            ip_cidr_range=str(plan[WORKLOADS]),
            private_ip_google_access=True,  # GCS, Secret Manager etc. without public IPs
            log_config=gcp.compute.SubnetworkLogConfigArgs(
                aggregation_interval="INTERVAL_5_SEC", flow_sampling=0.5,
                metadata="INCLUDE_ALL_METADATA"),
            opts=scope.child(self))
        self.firewall = gcp.compute.Firewall(
            "deny-all-ingress", network=self.network.id, direction="INGRESS",
            priority=65534, source_ranges=["0.0.0.0/0"],
            denies=[gcp.compute.FirewallDenyArgs(protocol="all")],
            log_config=gcp.compute.FirewallLogConfigArgs(metadata="INCLUDE_ALL_METADATA"),
            description="Nothing may connect in; only explicit, narrower rules may allow",
            opts=scope.child(self))
        self.nat: gcp.compute.RouterNat | None = None
        if args.nat is not NatMode.NONE:
            router = gcp.compute.Router(
                "router", network=self.network.id, region=scope.region, opts=scope.child(self))
            self.nat = gcp.compute.RouterNat(
                "nat", router=router.name, region=scope.region,
                nat_ip_allocate_option="AUTO_ONLY",
                source_subnetwork_ip_ranges_to_nat="LIST_OF_SUBNETWORKS",
                subnetworks=[gcp.compute.RouterNatSubnetworkArgs(
                    name=self.subnet.id, source_ip_ranges_to_nats=["ALL_IP_RANGES"])],
                log_config=gcp.compute.RouterNatLogConfigArgs(enable=True, filter="ERRORS_ONLY"),
                opts=scope.child(self))
        services = plan[PRIVATE_SERVICES]
        reserved = gcp.compute.GlobalAddress(
            PRIVATE_SERVICES, network=self.network.id, purpose="VPC_PEERING",
            address_type="INTERNAL", address=str(services.network_address),
            prefix_length=services.prefixlen, labels=scope.labels, opts=scope.child(self))
        self.private_services = gcp.servicenetworking.Connection(
            "private-services-access", network=self.network.id,
            service="servicenetworking.googleapis.com",
            reserved_peering_ranges=[reserved.name], opts=scope.child(self))
        self.register_outputs({
            "network": self.network.id,
            "subnet": self.subnet.id,
            "subnet_cidr": self.subnet.ip_cidr_range,
            "private_services_range": reserved.name,
        })
