"""Monthly cost estimates: the price table, quantities from the config, deltas in the diff."""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from config.enums import Cloud
from config.regions import REGIONS
from config.stacks import STACKS_DIR
from tricloud.cost.billable import BILLABLE, runs_per_month, usage_of
from tricloud.cost.estimate import estimate, plan_deltas, stack_delta
from tricloud.cost.prices import ANY_REGION, HOURS_PER_MONTH, PRICES, find
from tricloud.cost.render import render_costs
from tricloud.diff import diff_plans
from tricloud.diffrender import MARKDOWN_LIMIT, render_markdown
from tricloud.plan import StackPlan
from tricloud.synth import synthesize, synthesize_changed

ROOT = Path(__file__).resolve().parents[1]
DEV_AWS = STACKS_DIR / "Pulumi.dev-aws.yaml"


@functools.cache
def _dev_aws_in(region: str, nat: str) -> StackPlan:
    """dev-aws as it would be in another region with another NAT mode."""
    return synthesize_changed(DEV_AWS, {"region": region, "network.nat": nat})


def _price(kind: str, key: str = "", region: str = "us-east-1") -> Decimal:
    price = find("aws", kind, key, region)
    assert price is not None
    return price.usd


def test_every_price_says_where_and_when_it_was_read():
    for p in PRICES:
        assert p.source.startswith("https://"), p
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.read), p
        assert p.read in p.obtained and p.usd >= 0 and p.unit
        assert p.region == ANY_REGION or p.region in REGIONS[Cloud(p.cloud)], p
    kinds = {(p.cloud, p.kind, p.key, p.region) for p in PRICES}
    assert len(kinds) == len(PRICES), "two rows for one kind, class and region"


def test_a_regional_price_is_not_used_in_another_region():
    assert find("aws", "nat-gateway", "", "us-east-1") is not None
    assert find("aws", "nat-gateway", "", "eu-west-2") is None
    assert find("aws", "kms-key", "", "eu-west-2") is not None  # one price everywhere


def test_runs_per_month_follow_the_cron():
    assert runs_per_month("0 */6 * * *") == 122  # 4 a day over 730 hours
    assert runs_per_month("*/30 * * * *") == 1460
    assert runs_per_month("0 3 * * 1") == 4  # Mondays from Thursday 2026-01-01, 30.4 days


def test_a_nat_gateway_per_zone_raises_the_estimate_by_zones_times_its_price():
    without, per_zone = _dev_aws_in("us-east-1", "none"), _dev_aws_in("us-east-1", "per_zone")
    zones = 2  # dev
    nat = [line for line in estimate(per_zone).lines if line.usage.kind == "nat-gateway"]
    assert len(nat) == zones
    assert sum(line.monthly for line in nat) == zones * HOURS_PER_MONTH * _price("nat-gateway")
    delta = stack_delta(without, per_zone)
    each = HOURS_PER_MONTH * (_price("nat-gateway") + _price("public-ipv4"))  # with its address
    assert delta.delta == zones * each
    assert {r.type for r in delta.resources if r.delta} == {
        "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip"}


def test_resizing_the_database_moves_the_estimate_by_the_difference_of_the_two_rows():
    base = _dev_aws_in("us-east-1", "single")
    resized = replace(base, resources=[
        replace(r, inputs={**r.inputs, "instanceClass": "db.t4g.medium"})
        if r.type == "aws:rds/instance:Instance" else r for r in base.resources])
    delta = stack_delta(base, resized)
    rows = _price("rds-postgres-instance", "db.t4g.medium") - _price(
        "rds-postgres-instance", "db.t4g.small")
    assert delta.delta == rows * HOURS_PER_MONTH
    (moved,) = delta.resources
    assert moved.type == "aws:rds/instance:Instance" and moved.complete


def test_multi_az_doubles_instance_hours_and_storage():
    base = _dev_aws_in("us-east-1", "single")
    ha = replace(base, resources=[
        replace(r, inputs={**r.inputs, "multiAz": True})
        if r.type == "aws:rds/instance:Instance" else r for r in base.resources])
    (db,) = [u for u in usage_of(ha).values() if u[0].kind == "rds-postgres-instance"]
    assert db[0].quantity == 2 * HOURS_PER_MONTH and db[1].quantity == 2 * 20


def test_what_the_table_cannot_price_is_listed_not_counted():
    cost = estimate(synthesize(DEV_AWS))  # eu-west-2: the table has us-east-1 rates only
    unpriced = {(line.type, line.usage.kind): line.reason for line in cost.not_estimated}
    assert "no price for nat-gateway in eu-west-2" in unpriced[
        ("aws:ec2/natGateway:NatGateway", "nat-gateway")]
    assert ("aws:s3/bucket:Bucket", "s3-standard-storage") in unpriced
    assert cost.total == sum(line.monthly for line in cost.lines if line.monthly is not None)
    priced_region = estimate(_dev_aws_in("us-east-1", "single"))
    nat_data = [line for line in priced_region.not_estimated
                if line.usage.kind == "nat-gateway-data"]
    assert nat_data and "depends on traffic" in nat_data[0].reason  # usage with no stated volume
    text = render_costs([cost])
    nat_line = next(line for line in text.splitlines() if "NatGateway nat-0" in line)
    assert text.index("not estimated:") < text.index(nat_line)


def test_a_stack_the_table_cannot_price_says_so_instead_of_costing_nothing():
    whole = synthesize(STACKS_DIR / "Pulumi.dev-gcp.yaml")
    plan = replace(whole, resources=[  # the database alone: the table has no Cloud SQL row
        r for r in whole.resources if r.type not in BILLABLE
        or r.type == "gcp:sql/databaseInstance:DatabaseInstance"])
    cost = estimate(plan)
    assert cost.lines and len(cost.not_estimated) == len(cost.lines)
    head = render_costs([cost]).splitlines()[0]
    assert "nothing estimated" in head and "$0.00" not in head
    resized = replace(plan, resources=[
        replace(r, inputs={**r.inputs, "settings": {**r.inputs["settings"], "tier": "x"}})
        if r.type == "gcp:sql/databaseInstance:DatabaseInstance" else r for r in plan.resources])
    delta = stack_delta(plan, resized)
    assert [r.complete for r in delta.resources] == [False]
    md = render_markdown(diff_plans([plan], [resized]), costs=plan_deltas([plan], [resized]))
    assert "| not estimated |" in md and "1 changed resource(s) partly not estimated" in md


def test_usage_assumptions_come_from_the_stack_config_and_are_stated():
    plan = _dev_aws_in("us-east-1", "single")
    job = next(line for line in estimate(plan).lines if line.usage.kind == "fargate-vcpu")
    assert "pipeline.schedule '0 */6 * * *'" in job.usage.assumption
    assert "usage.run_minutes=10" in job.usage.assumption
    assert job.usage.quantity == Decimal(122) * 10 / 60 * 1
    old_file = replace(plan, usage={})  # a plan file written before usage was recorded
    assert any("no usage" in line.reason for line in estimate(old_file).not_estimated)


def test_every_billable_type_belongs_to_a_known_cloud():
    assert {t.split(":", 1)[0] for t in BILLABLE} == {"aws", "gcp", "azure-native"}


def test_the_markdown_leads_with_the_cost_and_stays_under_the_comment_limit():
    base = [_dev_aws_in("us-east-1", "none")]
    many = [replace(base[0], stack=f"s{i:03}") for i in range(120)]
    head = [_dev_aws_in("us-east-1", "per_zone")]
    heads = [replace(head[0], stack=f"s{i:03}") for i in range(120)]
    diff, costs = diff_plans(many, heads), plan_deltas(many, heads)
    md = render_markdown(diff, costs=costs)
    assert len(md) <= MARKDOWN_LIMIT
    assert md.index("Estimated monthly cost change") < md.index("| stack |")
    summary = render_markdown(diff, costs=costs, summary_only=True)
    assert len(summary) < len(md) and "```" not in summary and "cost/month" in summary


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tricloud.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("stack", ["prod-aws-us-east-1"])
def test_cli_cost_prints_totals_components_and_what_is_not_estimated(stack):
    result = run("cost", "--stack", stack)
    assert result.returncode == 0, result.stderr
    assert re.search(rf"== {stack} \(aws us-east-1\): \$[\d,]+\.\d\d/month", result.stdout)
    assert "Network network" in result.stdout and "not estimated:" in result.stdout


def test_cli_diff_summary_is_markdown_only(tmp_path: Path):
    plan = tmp_path / "p.json"
    plan.write_text(json.dumps({"format": "tricloud-plan/1", "stacks": []}))
    assert run("diff", str(plan), str(plan), "--summary").returncode == 2
    result = run("diff", str(plan), str(plan), "--summary", "--format", "markdown")
    assert result.returncode == 0 and "| stack |" in result.stdout
