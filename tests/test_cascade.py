"""Replacements that cascade: honest offline ids, causes traced, data stores warned about first."""

from __future__ import annotations

import functools
import json
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.stacks import STACKS_DIR
from tricloud.diff import Action, diff_stack
from tricloud.diffrender import render_markdown, render_text
from tricloud.impact import data_store_warnings
from tricloud.mocks import honest_id
from tricloud.plan import PlannedResource, StackPlan
from tricloud.synth import synthesize, synthesize_changed

DEV_AWS = STACKS_DIR / "Pulumi.dev-aws.yaml"
VPC = "aws:ec2/vpc:Vpc"


@functools.cache
def _base() -> StackPlan:
    return synthesize(DEV_AWS)


def _changed(key: str, value: object) -> StackPlan:
    return _changed_once(key, json.dumps(value))


@functools.cache
def _changed_once(key: str, value: str) -> StackPlan:
    return synthesize_changed(DEV_AWS, {key: json.loads(value)})


def _by_type(diff, type_: str):
    return [r for r in diff.resources if r.type == type_]


def test_an_id_changes_exactly_when_a_replacing_input_changes():
    base = honest_id(VPC, "vpc-0123456789abcdef0", {"cidrBlock": "10.10.0.0/16", "tags": {}})
    assert base == honest_id(VPC, "vpc-0123456789abcdef0", {"cidrBlock": "10.10.0.0/16"})
    assert base == honest_id(VPC, "vpc-0123456789abcdef0",
                             {"cidrBlock": "10.10.0.0/16", "tags": {"team": "x"}})
    moved = honest_id(VPC, "vpc-0123456789abcdef0", {"cidrBlock": "10.13.0.0/16"})
    assert moved != base and moved.startswith("vpc-") and len(moved) == len(base)
    # an id that is the resource's own name stays its name, as in the cloud
    assert honest_id("aws:s3/bucket:Bucket", "tricloud-raw", {"bucket": "tricloud-raw"}) \
        == "tricloud-raw"


def test_a_cidr_change_replaces_what_hangs_off_the_network_and_warns_about_the_database():
    base, head = _base(), _changed("network.cidr", "10.13.0.0/16")
    diff = diff_stack(base, head)
    replaced = {(r.type, r.name) for r in diff.resources if r.action is Action.REPLACE}
    assert (VPC, "vpc") in replaced
    assert {r.name for r in _by_type(diff, "aws:ec2/subnet:Subnet")} == {
        "private-0", "private-1", "public-0"}
    security_groups = _by_type(diff, "aws:ec2/securityGroup:SecurityGroup")
    assert {r.name for r in security_groups} == {"database", "task"}
    assert all(r.action is Action.REPLACE for r in security_groups)
    assert all("follows the replaced Vpc vpc" in " ".join(r.reasons) for r in security_groups)
    (subnet_group,) = _by_type(diff, "aws:rds/subnetGroup:SubnetGroup")
    assert subnet_group.action is Action.UPDATE and subnet_group.causes
    (database,) = _by_type(diff, "aws:rds/instance:Instance")
    sg_urn = next(r.urn for r in security_groups if r.name == "database")
    assert database.causes == (sg_urn,)
    assert [c.path for c in database.changes] == ["vpcSecurityGroupIds[0]"]
    (warning,) = data_store_warnings([base], [head], _plan_diff(diff))
    assert warning.type == "aws:rds/instance:Instance" and warning.action is Action.UPDATE
    assert "SecurityGroup database" in warning.sentence()
    text = render_text(_plan_diff(diff), warnings=(warning,))
    assert text.startswith("!! 1 data store(s) at risk:")
    md = render_markdown(_plan_diff(diff), warnings=(warning,))
    assert md.index("[!WARNING]") < md.index("| stack |")


def _plan_diff(stack_diff):
    from tricloud.diff import PlanDiff

    return PlanDiff((stack_diff,))


def test_a_tag_only_change_replaces_nothing():
    diff = diff_stack(_base(), _changed("tags", {"team": "data"}))
    assert diff.count(Action.UPDATE) >= 1  # the provider's default tags
    assert diff.count(Action.REPLACE) == 0
    assert not any(r.causes for r in diff.resources)


# One input of the dev-aws stack file at a time, as a pull request would change it.
single_changes = st.one_of(
    st.tuples(st.just("network.cidr"), st.integers(13, 19).map(lambda n: f"10.{n}.0.0/16")),
    st.tuples(st.just("network.cidr"), st.sampled_from(["10.10.0.0/17", "10.10.0.0/18"])),
    st.tuples(st.just("network.zones"), st.just(3)),
    st.tuples(st.just("network.nat"), st.sampled_from(["none", "per_zone"])),
    st.tuples(st.just("database.size"), st.sampled_from(["medium", "large"])),
    st.tuples(st.just("database.storage_gb"), st.integers(21, 500)),
    st.tuples(st.just("database.backup_retention_days"), st.integers(1, 35)),
    st.tuples(st.just("database.deletion_protection"), st.just(True)),
    st.tuples(st.just("pipeline.schedule"), st.sampled_from(["0 * * * *", "15 2 * * *"])),
    st.tuples(st.just("pipeline.timeout_minutes"), st.integers(5, 240)),
    st.tuples(st.just("monitoring.log_retention_days"), st.sampled_from([7, 30, 90])),
    st.tuples(st.just("tags"), st.dictionaries(st.sampled_from(["team", "owner", "tier"]),
                                               st.sampled_from(["data", "x1", "gold"]),
                                               min_size=1, max_size=2)),
    st.tuples(st.just("alerts.emails"), st.just(["someone@example.com"])),
    st.tuples(st.just("usage.run_minutes"), st.integers(1, 120)),
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(single_changes)
def test_no_replacement_is_shown_without_its_cause(change):
    base, head = _base(), _changed(*change)
    diff = diff_stack(base, head)
    replaced = {r.urn for r in diff.resources if r.action is Action.REPLACE}
    for r in diff.resources:
        assert set(r.causes) <= replaced, f"{r.name} follows a resource that is not replaced"
        if r.action is not Action.REPLACE:
            continue
        assert r.reasons, f"{r.type} {r.name} is replaced without a reason"
        direct = [reason for reason in r.reasons
                  if "cannot change in place" in reason and "follows" not in reason]
        assert direct or r.causes, f"{r.type} {r.name}: neither its own input nor a cause"
        changed_roots = {c.path.split(".")[0].split("[")[0] for c in r.changes}
        for reason in direct:
            assert reason.split(" ")[0] in changed_roots
    # and the other way round: an id only changes when the resource is replaced
    old_ids = {r.urn: r.id for r in base.resources}
    renewed = {r.urn for r in head.resources if r.urn in old_ids and r.id != old_ids[r.urn]}
    assert renewed <= replaced


def _resource(type_: str, name: str, *, protect: bool = False, retain_on_delete: bool = False,
              inputs: dict | None = None) -> PlannedResource:
    return PlannedResource(urn=f"urn:pulumi:s::p::{type_}::{name}", type=type_, name=name,
                           parent=None, custom=True, provider=None, protect=protect,
                           retain_on_delete=retain_on_delete, inputs=inputs or {})


def _stack(*resources: PlannedResource) -> StackPlan:
    return StackPlan("prod-aws", "aws", "us-east-1", "prod", list(resources), {})


def test_replaced_and_deleted_data_stores_open_the_diff_with_what_would_block_them():
    db = _resource("aws:rds/instance:Instance", "warehouse", protect=True,
                   inputs={"engine": "postgres", "deletionProtection": True})
    bucket = _resource("aws:s3/bucket:Bucket", "raw", inputs={"bucket": "a"})
    key = _resource("aws:kms/key:Key", "data", retain_on_delete=True)
    base = _stack(db, bucket, key)
    head = _stack(replace(db, inputs={"engine": "mysql", "deletionProtection": True}),
                  replace(bucket, inputs={"bucket": "b"}))
    diff = _plan_diff(diff_stack(base, head))
    warnings = data_store_warnings([base], [head], diff)
    assert [(w.name, w.action) for w in warnings] == [
        ("data", Action.DELETE), ("warehouse", Action.REPLACE), ("raw", Action.REPLACE)]
    deleted, db_warning, bucket_warning = (w.sentence() for w in warnings)
    assert "DELETED" in deleted and "retainOnDelete keeps the old one" in deleted
    assert "nothing blocks it" in bucket_warning
    assert "blocked by protect" in db_warning and "deletionProtection=true" in db_warning
