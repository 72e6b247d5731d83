"""The pure AWS rules, property-tested: subnet layout, cron dialect, physical names."""

from __future__ import annotations

from ipaddress import IPv4Network

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.aws import names
from components.aws.plans import (
    UnsupportedCronError,
    eventbridge_cron,
    public_zone_count,
    subnet_plan,
)
from config.enums import NatMode

networks = st.builds(
    lambda first, second, prefix: IPv4Network((f"10.{first}.{second}.0", prefix), strict=False),
    st.integers(0, 255), st.integers(0, 255), st.integers(16, 22))
zones = st.integers(2, 3)
nat_modes = st.sampled_from(list(NatMode))


@given(networks, zones, nat_modes)
def test_subnets_fit_the_range_and_never_overlap(cidr, zone_count, nat):
    plan = subnet_plan(cidr, zone_count, nat)
    every = plan.private + plan.public
    assert all(s.subnet_of(cidr) for s in every)
    assert all(not a.overlaps(b) for i, a in enumerate(every) for b in every[i + 1:])
    assert len(plan.private) == zone_count
    assert len(plan.public) == public_zone_count(nat, zone_count)


@given(networks, nat_modes)
def test_adding_a_zone_renumbers_no_existing_subnet(cidr, nat):
    two, three = subnet_plan(cidr, 2, nat), subnet_plan(cidr, 3, nat)
    assert three.private[:2] == two.private
    assert three.public[:len(two.public)] == two.public


@given(networks, zones)
def test_switching_nat_on_or_off_moves_no_private_subnet(cidr, zone_count):
    plans = [subnet_plan(cidr, zone_count, nat) for nat in NatMode]
    assert all(p.private == plans[0].private for p in plans)


def test_public_subnets_only_where_nat_needs_them():
    assert public_zone_count(NatMode.NONE, 3) == 0
    assert public_zone_count(NatMode.SINGLE, 3) == 1
    assert public_zone_count(NatMode.PER_ZONE, 3) == 3


@pytest.mark.parametrize(("cron", "expected"), [
    ("0 */6 * * *", "cron(0 */6 * * ? *)"),
    ("*/30 * * * *", "cron(*/30 * * * ? *)"),
    ("15 2 1 * *", "cron(15 2 1 * ? *)"),
    ("0 8 * * 1-5", "cron(0 8 ? * 2-6 *)"),
    ("0 8 * * 0", "cron(0 8 ? * 1 *)"),
    ("0 8 * * 7", "cron(0 8 ? * 1 *)"),
    ("0 8 * * 6,0", "cron(0 8 ? * 7,1 *)"),
    ("0 8 * * 0-7", "cron(0 8 ? * * *)"),
    ("0 8 * * MON-FRI", "cron(0 8 ? * MON-FRI *)"),
])
def test_cron_is_translated_to_eventbridge(cron, expected):
    assert eventbridge_cron(cron) == expected


def test_cron_that_eventbridge_cannot_express_is_refused():
    with pytest.raises(UnsupportedCronError, match="day of the month"):
        eventbridge_cron("0 0 1 * 1")
    with pytest.raises(UnsupportedCronError):
        eventbridge_cron("0 0 * *")


@given(st.integers(0, 59), st.integers(0, 23), st.integers(0, 7))
def test_translated_cron_has_six_fields_and_one_question_mark(minute, hour, weekday):
    for cron in (f"{minute} {hour} * * *", f"{minute} {hour} * * {weekday}"):
        fields = eventbridge_cron(cron).removeprefix("cron(").removesuffix(")").split()
        assert len(fields) == 6
        assert fields.count("?") == 1
        assert all(f == "?" or not f.isdigit() or 1 <= int(f) <= 7 for f in fields[4:5])


@given(st.from_regex(r"[a-z][a-z0-9-]{0,40}", fullmatch=True),
       st.sampled_from(["raw", "processed"]))
def test_bucket_names_are_valid_s3_names_and_differ_per_account(stack, zone):
    first = names.bucket_name(stack, zone, "111111111111")
    second = names.bucket_name(stack, zone, "222222222222")
    for name in (first, second):
        assert 3 <= len(name) <= 63
        assert name[0].isalnum() and name[-1].isalnum()
        assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert first != second


def test_names_carry_the_stack_and_the_purpose():
    expected = "tricloud-prod-aws-us-east-1-pipeline"
    assert names.stack_name("prod-aws-us-east-1", "pipeline") == expected
    assert names.log_group_name("ecs", "dev-aws", "pipeline") == "/tricloud/dev-aws/ecs/pipeline"
    assert len(names.role_name("x" * 80, "execution")) <= 64
    assert names.role_name("x" * 80, "execution").endswith("-execution")
