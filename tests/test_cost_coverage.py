"""GCP and Azure estimates: each priced line is its table row x a quantity from the plan."""

from __future__ import annotations

import functools
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from config.stacks import STACKS_DIR
from tricloud.cost import prices
from tricloud.cost.billable import _gib, runs_per_month
from tricloud.cost.estimate import CostLine, estimate, money, stack_delta
from tricloud.cost.prices import ANY_REGION, HOURS_PER_MONTH, Price, find
from tricloud.plan import StackPlan
from tricloud.synth import synthesize

SQL = "gcp:sql/databaseInstance:DatabaseInstance"
FLEXIBLE = "azure-native:dbforpostgresql:Server"
NAT = "gcp:compute/routerNat:RouterNat"


@functools.cache
def _plan(stack: str) -> StackPlan:
    return synthesize(STACKS_DIR / f"Pulumi.{stack}.yaml")


def _row(plan: StackPlan, kind: str, key: str = "") -> Decimal:
    price = find(plan.cloud, kind, key, plan.region)
    assert price is not None, (kind, key)
    return price.usd


def _lines(plan: StackPlan, kind: str) -> list[CostLine]:
    return [line for line in estimate(plan).lines if line.usage.kind == kind]


def _priced(plan: StackPlan, kind: str) -> Decimal:
    lines = _lines(plan, kind)
    assert lines and all(line.monthly is not None for line in lines), kind
    return sum((line.monthly for line in lines if line.monthly is not None), Decimal(0))


@pytest.mark.parametrize("stack", ["dev-gcp", "prod-gcp"])
def test_gcp_lines_are_the_table_rows_times_the_stated_quantities(stack):
    plan = _plan(stack)
    assert _priced(plan, "gcs-standard-storage") == (
        Decimal(str(plan.usage["stored_gb"])) * _row(plan, "gcs-standard-storage"))
    assert _priced(plan, "cloud-logging-ingestion") == (
        Decimal(str(plan.usage["log_gb_per_month"])) * _row(plan, "cloud-logging-ingestion"))
    assert _priced(plan, "cloud-scheduler-job") == _row(plan, "cloud-scheduler-job")
    secrets = [r for r in plan.resources if r.type == "gcp:secretmanager/secret:Secret"]
    assert _priced(plan, "secret-manager") == len(secrets) * _row(plan, "secret-manager")
    assert _priced(plan, "cloud-nat-ip") == HOURS_PER_MONTH * _row(plan, "cloud-nat-ip")
    keys = [r for r in plan.resources if r.type == "gcp:kms/cryptoKey:CryptoKey"]
    assert len(_lines(plan, "cloud-kms-key")) == len(keys)  # prod encrypts its buckets with one
    if keys:
        assert _priced(plan, "cloud-kms-key") == _row(plan, "cloud-kms-key", "SOFTWARE")


def test_regional_rows_stay_in_their_region():
    assert find("gcp", "gcs-standard-storage", "", "europe-west2") is not None
    assert find("gcp", "gcs-standard-storage", "", "us-central1") is None
    assert find("aws", "s3-standard-storage", "", "eu-west-2") is None


@pytest.mark.parametrize("stack", ["dev-azure", "prod-azure"])
def test_azure_lines_are_the_table_rows_times_the_stated_quantities(stack):
    plan = _plan(stack)
    assert _priced(plan, "azure-public-ip") == HOURS_PER_MONTH * _row(
        plan, "azure-public-ip", "Standard")
    (registry,) = _lines(plan, "acr")
    sku = next(r for r in plan.resources
               if r.type == "azure-native:containerregistry:Registry").inputs["sku"]["name"]
    assert registry.usage.key == sku and registry.usage.quantity == HOURS_PER_MONTH / 24
    if find("azure", "acr", sku, plan.region):
        assert registry.monthly == (HOURS_PER_MONTH / 24 * _row(plan, "acr", sku)).quantize(
            Decimal("0.000001"))
    else:  # the table has the Basic SKU's price only (prod runs Premium, for private endpoints)
        assert registry.monthly is None and f"no price for acr {sku}" in registry.reason


def test_serverless_jobs_bill_seconds_of_their_vcpu_and_memory():
    for stack, kinds in (("dev-gcp", ("cloud-run-vcpu", "cloud-run-memory")),
                         ("dev-azure", ("container-apps-vcpu", "container-apps-memory"))):
        plan = _plan(stack)
        seconds = runs_per_month(plan.usage["schedule"]) * Decimal(
            str(plan.usage["run_minutes"])) * 60
        (cpu,), (memory,) = _lines(plan, kinds[0]), _lines(plan, kinds[1])
        assert cpu.usage.quantity == seconds * 1  # dev: 1 vCPU, 2 GiB ('2048Mi' / '2Gi')
        assert memory.usage.quantity == seconds * 2 and memory.usage.unit == "GiB-second"
        assert "usage.run_minutes=10" in cpu.usage.assumption


def test_manual_cloud_nat_addresses_each_add_an_address_hour_price():
    base = _plan("dev-gcp")
    manual = replace(base, resources=[
        replace(r, inputs={**r.inputs, "natIpAllocateOption": "MANUAL_ONLY",
                           "natIps": ["ip-a", "ip-b", "ip-c"]}) if r.type == NAT else r
        for r in base.resources])
    delta = stack_delta(base, manual)
    assert delta.delta == 2 * HOURS_PER_MONTH * _row(base, "cloud-nat-ip")  # 1 assumed -> 3
    (moved,) = delta.resources
    assert moved.type == NAT and not moved.complete  # per-VM hours and data stay unpriced
    gateway = _lines(manual, "cloud-nat-gateway")[0]
    assert gateway.monthly is None and "per VM instance" in gateway.reason


def _with_rows(monkeypatch: pytest.MonkeyPatch, *rows: Price) -> None:
    monkeypatch.setattr(prices, "PRICES", prices.PRICES + rows)


def _test_row(cloud: str, kind: str, key: str, usd: str) -> Price:
    """A made-up row for a mechanism test; the repo table has no source for these classes."""
    return Price(cloud, kind, key, "hour", Decimal(usd), ANY_REGION, "2026-12-02",
                 "https://example.invalid/test-row", "test fixture, not a price")


@pytest.mark.parametrize(("stack", "kind", "small", "large"), [
    ("dev-gcp", "cloud-sql-postgres", "db-custom-1-3840", "db-custom-2-7680"),
    ("dev-azure", "postgres-flexible-server", "Standard_B1ms", "Standard_D2ds_v5"),
])
def test_resizing_the_database_moves_the_estimate_by_the_difference_of_its_rows(
        monkeypatch, stack, kind, small, large):
    base = _plan(stack)

    def resized(r):
        if r.type == SQL:
            return replace(r, inputs={**r.inputs, "settings": {**r.inputs["settings"],
                                                               "tier": large}})
        if r.type == FLEXIBLE:
            return replace(r, inputs={**r.inputs, "sku": {**r.inputs["sku"], "name": large}})
        return r

    bigger = replace(base, resources=[resized(r) for r in base.resources])
    unpriced = stack_delta(base, bigger)  # the repo table has no source for these classes yet
    assert unpriced.delta == 0 and not unpriced.resources[0].complete
    _with_rows(monkeypatch, _test_row(base.cloud, kind, small, "0.1"),
               _test_row(base.cloud, kind, large, "0.25"))
    delta = stack_delta(base, bigger)
    assert delta.delta == (Decimal("0.25") - Decimal("0.1")) * HOURS_PER_MONTH
    assert [r.type for r in delta.resources] == [SQL if base.cloud == "gcp" else FLEXIBLE]


def test_high_availability_databases_need_their_own_rows(monkeypatch):
    for stack, kind, key in (("prod-gcp", "cloud-sql-postgres", "db-custom-2-7680"),
                             ("prod-azure", "postgres-flexible-server", "Standard_D2ds_v5")):
        plan = _plan(stack)
        _with_rows(monkeypatch, _test_row(plan.cloud, kind, key, "0.2"))
        (line,) = _lines(plan, kind)
        assert line.usage.key == f"{key} HA" and line.monthly is None  # a zonal row is not used
        assert "HA" in line.reason


@pytest.mark.parametrize(("quantity", "gib"), [
    ("2Gi", "2"), ("2048Mi", "2"), ("8192Mi", "8"), (str(2 * 1024**3), "2"), ("1G", "0.9313")])
def test_memory_quantities_read_in_gib(quantity, gib):
    assert _gib(quantity).quantize(Decimal("0.0001")) == Decimal(gib)


def test_cli_cost_total_for_a_gcp_stack_is_the_sum_of_its_rows_times_quantities():
    plan = _plan("dev-gcp")
    secrets = sum(1 for r in plan.resources if r.type == "gcp:secretmanager/secret:Secret")
    by_formula = (Decimal(str(plan.usage["stored_gb"])) * _row(plan, "gcs-standard-storage")
                  + Decimal(str(plan.usage["log_gb_per_month"]))
                  * _row(plan, "cloud-logging-ingestion")
                  + _row(plan, "cloud-scheduler-job")
                  + secrets * _row(plan, "secret-manager")
                  + HOURS_PER_MONTH * _row(plan, "cloud-nat-ip"))
    assert estimate(plan).total == by_formula  # everything else is listed as not estimated
    result = subprocess.run([sys.executable, "-m", "tricloud.cli", "cost", "--stack", "dev-gcp"],
                            cwd=Path(__file__).resolve().parents[1], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    head = result.stdout.splitlines()[0]
    assert head.startswith(f"== dev-gcp (gcp europe-west2): {money(by_formula)}/month estimated")
