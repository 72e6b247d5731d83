"""Address planning: pure functions, no cloud SDK, property-tested.

Subnets are carved buddy-style: blocks are placed largest first, each at the next aligned
address, so a plan fits exactly when the blocks' total size fits the parent, and appending a
request no larger than the existing ones never moves a subnet that already exists (moving one
would make the cloud replace it).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

IPv4Network = ipaddress.IPv4Network


class AddressSpaceError(ValueError):
    """The requested subnets do not fit the parent range."""


@dataclass(frozen=True)
class SubnetRequest:
    """A named block of ``prefixlen`` to carve from the parent range."""

    name: str
    prefixlen: int


def allocate(parent: IPv4Network, requests: Sequence[SubnetRequest]) -> dict[str, IPv4Network]:
    """Place every request inside ``parent`` without overlap; raise when they cannot fit."""
    names = [r.name for r in requests]
    if len(set(names)) != len(names):
        raise ValueError(f"subnet names must be unique: {names}")
    too_big = [r.name for r in requests if r.prefixlen < parent.prefixlen or r.prefixlen > 32]
    if too_big:
        raise AddressSpaceError(f"{', '.join(too_big)} cannot be carved from {parent}")
    order = sorted(range(len(requests)), key=lambda i: (requests[i].prefixlen, i))
    cursor = int(parent.network_address)
    end = cursor + parent.num_addresses
    placed: dict[str, IPv4Network] = {}
    for i in order:
        request = requests[i]
        size = 1 << (32 - request.prefixlen)
        if cursor + size > end:
            need = sum(1 << (32 - r.prefixlen) for r in requests)
            raise AddressSpaceError(
                f"{parent} has {parent.num_addresses} addresses; the subnets need {need}")
        placed[request.name] = ipaddress.IPv4Network((cursor, request.prefixlen))
        cursor += size
    return {r.name: placed[r.name] for r in requests}


def zone_subnets(tier: IPv4Network, zones: int, slots: int = 4) -> list[IPv4Network]:
    """Split a tier into ``slots`` equal blocks and use the first ``zones``.

    Reserving slots means adding a zone later never renumbers the existing ones.
    """
    if not 0 < zones <= slots or slots & (slots - 1):
        raise ValueError(f"zones must be 1..{slots} and slots a power of two")
    step = slots.bit_length() - 1
    return list(tier.subnets(prefixlen_diff=step))[:zones]


def overlapping_pairs(networks: Mapping[str, IPv4Network]) -> list[tuple[str, str]]:
    """Every pair of names whose ranges overlap, sorted, so a report is stable."""
    return sorted(
        (a, b) if a < b else (b, a)
        for (a, net_a), (b, net_b) in combinations(networks.items(), 2)
        if net_a.overlaps(net_b)
    )


def lowest_free(candidates: Iterable[IPv4Network],
                taken: Iterable[IPv4Network]) -> IPv4Network | None:
    """The first candidate range that overlaps none of ``taken`` (None when all clash)."""
    used = list(taken)
    return next((c for c in candidates if not any(c.overlaps(t) for t in used)), None)
