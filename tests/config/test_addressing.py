"""Address planning: property-based, since a wrong subnet is a replaced network in production."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.addressing import (
    AddressSpaceError,
    SubnetRequest,
    allocate,
    overlapping_pairs,
    zone_subnets,
)

parents = st.builds(
    lambda base, prefix: ipaddress.IPv4Network((base >> (32 - prefix) << (32 - prefix), prefix)),
    st.integers(min_value=int(ipaddress.IPv4Address("10.0.0.0")),
                max_value=int(ipaddress.IPv4Address("10.255.255.255"))),
    st.integers(min_value=16, max_value=24),
)


@st.composite
def plans(draw: st.DrawFn) -> tuple[ipaddress.IPv4Network, list[SubnetRequest]]:
    parent = draw(parents)
    lens = draw(st.lists(st.integers(parent.prefixlen, 28), min_size=1, max_size=12))
    return parent, [SubnetRequest(f"s{i}", n) for i, n in enumerate(lens)]


def _capacity_needed(requests: list[SubnetRequest]) -> int:
    return sum(1 << (32 - r.prefixlen) for r in requests)


@given(plans())
def test_allocation_fits_exactly_when_the_sizes_add_up(plan):
    parent, requests = plan
    if _capacity_needed(requests) > parent.num_addresses:
        with pytest.raises(AddressSpaceError):
            allocate(parent, requests)
        return
    placed = allocate(parent, requests)
    assert list(placed) == [r.name for r in requests]
    for request in requests:
        assert placed[request.name].prefixlen == request.prefixlen
        assert placed[request.name].subnet_of(parent)
    assert overlapping_pairs(placed) == []


@given(plans(), st.integers(0, 4))
def test_appending_a_smaller_subnet_never_moves_existing_ones(plan, extra_bits):
    parent, requests = plan
    if _capacity_needed(requests) > parent.num_addresses:
        return
    smallest = max(r.prefixlen for r in requests)
    extra = SubnetRequest("extra", min(smallest + extra_bits, 32))
    before = allocate(parent, requests)
    try:
        after = allocate(parent, [*requests, extra])
    except AddressSpaceError:
        return
    assert {k: after[k] for k in before} == before


@given(parents, st.integers(1, 4), st.integers(1, 4))
def test_zone_subnets_are_stable_when_zones_are_added(tier, zones, more):
    total = min(zones + more, 4)
    assert zone_subnets(tier, total)[:zones] == zone_subnets(tier, zones)
    assert overlapping_pairs({str(i): n for i, n in enumerate(zone_subnets(tier, total))}) == []


def test_exhaustion_message_says_how_much_is_needed():
    with pytest.raises(AddressSpaceError, match=r"10\.0\.0\.0/24 has 256 addresses; the subnets "
                                                   "need 384"):
        allocate(ipaddress.IPv4Network("10.0.0.0/24"),
                 [SubnetRequest("a", 25), SubnetRequest("b", 25), SubnetRequest("c", 25)])


def test_duplicate_names_are_refused():
    with pytest.raises(ValueError, match="unique"):
        allocate(ipaddress.IPv4Network("10.0.0.0/16"),
                 [SubnetRequest("a", 24), SubnetRequest("a", 24)])


def test_overlaps_are_reported_as_sorted_pairs():
    nets = {n: ipaddress.IPv4Network(c) for n, c in
            {"b": "10.0.0.0/16", "a": "10.0.128.0/17", "c": "10.1.0.0/16"}.items()}
    assert overlapping_pairs(nets) == [("a", "b")]
