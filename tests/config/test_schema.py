"""Every field of the platform config: accepted values and rejected ones with a usable message."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from config.defaults import ENVIRONMENT_DEFAULTS
from config.enums import Environment, NatMode, Size
from config.errors import ConfigError
from config.loader import validate_platform

BASE: dict[str, Any] = {
    "cloud": "aws",
    "region": "eu-west-2",
    "environment": "dev",
    "network": {"cidr": "10.40.0.0/16"},
}


def with_(path: str, value: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    raw = copy.deepcopy(base or BASE)
    node = raw
    *parents, leaf = path.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = value
    return raw


def problems(raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ConfigError) as info:
        validate_platform(raw, "Pulumi.test.yaml")
    return {p.key.removeprefix("tricloud:platform."): p.message for p in info.value.problems}


def test_minimal_stack_takes_every_value_from_its_environment():
    platform = validate_platform(BASE, "t")
    dev = ENVIRONMENT_DEFAULTS[Environment.DEV]
    assert platform.database.size is Size(dev["database"]["size"])
    assert platform.database.deletion_protection is False
    assert platform.network.nat is NatMode.SINGLE
    assert platform.pipeline.schedule == dev["pipeline"]["schedule"]


def test_prod_defaults_protect_and_replicate():
    platform = validate_platform(with_("environment", "prod"), "t")
    assert platform.database.deletion_protection is True
    assert platform.database.high_availability is True
    assert platform.network.zones == 3
    assert platform.network.nat is NatMode.PER_ZONE
    assert platform.monitoring.log_retention_days >= 90


def test_stack_values_override_defaults_without_losing_siblings():
    platform = validate_platform(with_("database.storage_gb", 500), "t")
    assert platform.database.storage_gb == 500
    assert platform.database.backup_retention_days == 7  # sibling kept from dev defaults


@pytest.mark.parametrize(("cloud", "region"), [
    ("aws", "us-east-1"), ("gcp", "europe-west2"), ("azure", "uksouth")])
def test_regions_are_checked_per_cloud(cloud: str, region: str):
    raw = with_("region", region, with_("cloud", cloud))
    if cloud == "gcp":
        raw["gcp"] = {"project": "my-project-123"}
    assert validate_platform(raw, "t").region == region


@pytest.mark.parametrize(("path", "value", "fragment"), [
    ("cloud", "oracle", "allowed: aws, gcp, azure"),
    ("region", "europe-west2", "'europe-west2' is a GCP region and this stack's cloud is AWS; "
     "close matches on AWS: eu-west-2"),
    ("region", "us-east-9", "not a region the platform supports on AWS; close matches on AWS: "
     "us-east-2, us-east-1"),
    ("environment", "qa", "allowed: dev, staging, prod"),
    ("network.cidr", "8.8.0.0/16", "10.0.0.0/8"),
    ("network.cidr", "10.1.2.3/16", "host bits"),
    ("network.cidr", "10.0.0.0/12", "between /16 and /22"),
    ("network.cidr", "10.0.0.0/24", "between /16 and /22"),
    ("network.zones", 5, "less than or equal to 3"),
    ("network.nat", "gateway", "allowed: none, single, per_zone"),
    ("database.size", "huge", "allowed: small, medium, large"),
    ("database.storage_gb", 5, "greater than or equal to 20"),
    ("database.high_availability", "maybe", "boolean"),
    ("database.backup_retention_days", 0, "greater than or equal to 1"),
    ("database.backup_retention_days", 36, "less than or equal to 35"),
    ("database.deletion_protection", "sometimes", "boolean"),
    ("pipeline.schedule", "every hour", "has 2 fields; a cron expression has five"),
    ("pipeline.schedule", "0 25 * * *", "hour 25 is out of range 0-23"),
    ("pipeline.schedule", "*/0 * * * *", "minute step in '*/0' must be at least 1"),
    ("pipeline.schedule", "0 0 * 13 *", "month 13 is out of range 1-12"),
    ("pipeline.schedule", "0 0 * * fri-mon", "day of week range 'fri-mon' runs backwards"),
    ("pipeline.schedule", "0 * * * * *", "has 6 fields"),
    ("pipeline.cpu", 3, "allowed: 0.25, 0.5, 1, 2, 4"),
    ("pipeline.memory_gb", 0, "greater than 0"),
    ("pipeline.timeout_minutes", 1, "greater than or equal to 5"),
    ("pipeline.retries", 9, "less than or equal to 5"),
    ("monitoring.log_retention_days", 0, "greater than or equal to 1"),
    ("alerts.emails", ["not-an-address"], "not e-mail addresses: not-an-address"),
    ("tags", {"Owner": "me"}, "keys lowercase"),
    ("tags", {"team": "Data Platform"}, "values lowercase"),
    ("tags", {"stack": "x"}, "reserved keys"),
    ("gcp", {"project": "my-project-123"}, "only allowed for cloud gcp; remove it for aws"),
    ("network.subnets", 4, "unknown key; allowed here: cidr, nat, zones"),
    ("databse", {"size": "small"}, "unknown key; allowed here: alerts, cloud"),
])
def test_bad_values_name_the_key_and_what_is_allowed(path: str, value: Any, fragment: str):
    found = problems(with_(path, value))
    key = next((k for k in found if k == path or k.startswith(path)), "platform")
    assert fragment in found.get(key, " ".join(found.values())), found


def test_memory_must_fit_the_cpu_on_the_chosen_cloud():
    raw = with_("cloud", "azure", with_("region", "uksouth"))
    msg = " ".join(problems(with_("pipeline.memory_gb", 3, raw)).values())
    assert "allowed 2 to 2 GiB" in msg
    assert validate_platform(with_("pipeline.memory_gb", 3), "t").pipeline.memory_gb == 3


def test_high_availability_needs_a_size_with_a_standby():
    raw = with_("database", {"size": "small", "high_availability": True},
                with_("cloud", "azure", with_("region", "uksouth")))
    assert "needs size medium or large on azure" in " ".join(problems(raw).values())


def test_gcp_requires_a_project():
    raw = with_("cloud", "gcp", with_("region", "europe-west2"))
    assert problems(raw)["gcp.project"] == ("required for cloud gcp: the project the stack "
                                            "deploys into")
    assert "6-30 lowercase" in problems(with_("gcp", {"project": "X"}, raw))["gcp.project"]


def test_all_problems_are_reported_together():
    raw = with_("region", "mars-1", with_("database.size", "huge", with_("pipeline.cpu", 3)))
    error_keys = set(problems(raw))
    assert {"region", "database.size", "pipeline.cpu"} <= error_keys


def test_credentials_in_plain_text_are_refused_with_the_fix():
    raw = with_("alerts.webhook", "https://bot:s3cret@hooks.example.com/x")
    with pytest.raises(ConfigError) as info:
        validate_platform(raw, "t")
    text = str(info.value)
    assert "pulumi config set --secret" in text
    assert "s3cret" not in text


def test_a_credential_is_not_echoed_by_another_problems_message():
    raw = with_("alerts.emails", ["postgresql://app:s3cret@db.example.com/sales"])
    with pytest.raises(ConfigError) as info:
        validate_platform(raw, "t")
    text = str(info.value)
    assert "not e-mail addresses: <redacted>" in text
    assert "s3cret" not in text and "db.example.com" not in text


def test_not_a_mapping_is_an_error():
    with pytest.raises(ConfigError, match="must be a mapping"):
        validate_platform(["aws"], "t")


def test_every_rule_between_settings_is_reported_in_one_pass():
    raw = with_("cloud", "azure", with_("region", "uksouth", with_(
        "pipeline.memory_gb", 16, with_("pipeline.cpu", 0.25, with_(
            "database", {"size": "small", "high_availability": True}, with_(
                "gcp", {"project": "my-project-123"}))))))

    found = problems(raw)

    assert sorted(found) == ["database.high_availability", "gcp", "pipeline.memory_gb"]
    assert found["pipeline.memory_gb"].startswith("does not fit pipeline.cpu=0.25 on azure")


def test_replica_region_is_off_by_default_and_an_aws_prod_option():
    assert validate_platform(with_("environment", "prod"), "t").storage.replica_region is None
    prod = with_("environment", "prod")
    on = validate_platform(with_("storage.replica_region", "eu-west-1", prod), "t")
    assert on.storage.replica_region == "eu-west-1"
    assert "AWS prod option" in " ".join(
        problems(with_("storage.replica_region", "eu-west-1")).values())
    gcp = with_("cloud", "gcp", with_("region", "europe-west2",
                                      with_("gcp", {"project": "p-123456"}, prod)))
    assert "AWS prod option" in " ".join(
        problems(with_("storage.replica_region", "eu-west-1", gcp)).values())


@pytest.mark.parametrize("region", ["eu-west-2", "europe-west1", "eu-west-9"])
def test_replica_region_must_be_another_aws_region(region: str):
    raw = with_("storage.replica_region", region, with_("environment", "prod"))
    message = " ".join(problems(raw).values())
    assert "must be an AWS region other than the stack's (eu-west-2)" in message
    if region != "eu-west-2":
        assert "close matches on AWS: " in message and "eu-west-1" in message
