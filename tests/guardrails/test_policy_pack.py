"""Runner two: the policy pack in policy/ applies the same rules.

In process, each policy's validate function gets the arguments the engine would build for a
synthesised resource (inputs behind pulumi_policy's own unknown-checking proxy). Once, the pack
itself is started as Pulumi starts it and asked over its gRPC analyzer protocol on 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format, struct_pb2
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import unknown_checking_proxy

from policy.policies import build
from tests.guardrails.conftest import ALL_STACKS, edited, first, swapped
from tricloud.guardrails import RULES
from tricloud.plan import PlannedResource, StackPlan

PACK = Path(__file__).resolve().parents[2] / "policy"


def _opts(r: PlannedResource) -> PolicyResourceOptions:
    return PolicyResourceOptions(r.protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [],
                                 r.parent)


def _provider(plan: StackPlan, r: PlannedResource) -> PolicyProviderResource | None:
    found = [p for p in plan.resources if p.urn == r.provider]
    if not found:
        return None
    return PolicyProviderResource(found[0].type, unknown_checking_proxy(found[0].inputs),
                                  found[0].urn, found[0].name)


def _run(plan: StackPlan, monkeypatch, stack: str | None = None
         ) -> list[tuple[str, str, str | None]]:
    """(policy, message, urn) for every violation the pack reports on a plan."""
    monkeypatch.setenv("PULUMI_STACK", stack or plan.stack)
    reported: list[tuple[str, str, str | None]] = []
    custom = [r for r in plan.resources if r.custom]
    for policy in build():
        def report(message: str, urn: str | None = None, name: str = policy.name) -> None:
            reported.append((name, message, urn))
        if isinstance(policy, ResourceValidationPolicy):
            for r in custom:
                args = ResourceValidationArgs(r.type, unknown_checking_proxy(r.inputs), r.urn,
                                              r.name, _opts(r), _provider(plan, r))
                before = len(reported)
                policy.validate(args, report)
                reported[before:] = [(n, m, r.urn) for n, m, _ in reported[before:]]
        else:
            assert isinstance(policy, StackValidationPolicy)
            resources = [PolicyResource(r.type, unknown_checking_proxy(r.inputs), r.urn, r.name,
                                        _opts(r), _provider(plan, r), None, [], {})
                         for r in custom]
            policy.validate(StackValidationArgs(resources), report)
    return reported


def test_the_pack_has_a_policy_per_rule_with_its_enforcement():
    policies = {p.name: p for p in build()}
    for rule in RULES:
        assert isinstance(policies[rule.id], ResourceValidationPolicy)
        assert policies[rule.id].enforcement_level.value == rule.severity.value
    assert isinstance(policies["public-storage-stack"], StackValidationPolicy)


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_the_pack_is_silent_on_every_stack(synth, monkeypatch, stack):
    assert _run(synth(stack), monkeypatch) == []


def test_the_pack_reports_a_public_database_on_its_resource(synth, monkeypatch):
    plan = synth("dev-gcp")  # in prod public-data-service reports it as well
    sql = first(plan, "gcp:sql/databaseInstance:DatabaseInstance")
    bad = swapped(plan, edited(sql, settings__ipConfiguration__ipv4Enabled=True))
    [(policy, message, urn)] = _run(bad, monkeypatch)
    assert (policy, urn) == ("public-database", sql.urn)
    assert "ipv4_enabled" in message and "fix: " in message


def test_the_pack_sees_provider_default_tags(synth, monkeypatch):
    plan = synth("dev-aws")
    provider = first(plan, "pulumi:providers:aws")
    bad = swapped(plan, edited(provider, defaultTags="{}"))
    reported = _run(bad, monkeypatch)
    assert reported and {p for p, _, _ in reported} == {"missing-tags"}


def test_the_pack_reads_the_environment_from_the_stack_name(synth, monkeypatch):
    plan = synth("prod-azure")
    vault = first(plan, "azure-native:keyvault:Vault")
    bad = swapped(plan, edited(vault, opts={"protect": False}))
    assert [p for p, _, _ in _run(bad, monkeypatch)] == ["unprotected-data-store"]
    as_dev = {p for p, _, _ in _run(bad, monkeypatch, stack="dev-azure")}
    assert "unprotected-data-store" not in as_dev  # no protection needed in dev...
    assert "missing-tags" in as_dev  # ...but its environment tag now contradicts the stack


def test_the_pack_runs_the_stack_policy(synth, monkeypatch):
    plan = synth("prod-aws")
    block = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
    bad = StackPlan(**{**plan.__dict__,
                       "resources": [r for r in plan.resources if r.type != block]})
    reported = _run(bad, monkeypatch)
    assert {p for p, _, _ in reported} == {"public-storage-stack"}
    assert len(reported) == len(plan.of_type("aws:s3/bucket:Bucket")) == 3  # one per bucket


def _struct(value: dict[str, Any]) -> struct_pb2.Struct:
    return json_format.ParseDict(value, struct_pb2.Struct())


@pytest.mark.slow
def test_the_pack_serves_the_rules_over_the_analyzer_protocol(synth):
    """Started exactly as `pulumi preview --policy-pack policy` starts it, from another cwd."""
    import grpc
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

    env = {**os.environ, "PULUMI_STACK": "prod-aws"}
    pack = subprocess.Popen([sys.executable, "-u", str(PACK)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=PACK, env=env, text=True)
    try:
        port = int(pack.stdout.readline().strip() or 0)
        assert port, pack.stderr.read()
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = analyzer_pb2_grpc.AnalyzerStub(channel)
            info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
            assert {p.name for p in info.policies} >= {r.id for r in RULES}
            plan = synth("prod-aws")
            rds = first(plan, "aws:rds/instance:Instance")
            [provider] = [p for p in plan.resources if p.urn == rds.provider]
            engine_provider = analyzer_pb2.AnalyzerProviderResource(
                type=provider.type, properties=_struct(provider.inputs), urn=provider.urn,
                name=provider.name)
            # In prod a public RDS also breaks public-data-service.
            for public, expected in ((False, []),
                                     (True, ["public-database", "public-data-service"])):
                bad = edited(rds, publiclyAccessible=public)
                answer = stub.Analyze(analyzer_pb2.AnalyzeRequest(
                    type=bad.type, properties=_struct(bad.inputs), urn=bad.urn, name=bad.name,
                    options=analyzer_pb2.AnalyzerResourceOptions(protect=True),
                    provider=engine_provider), timeout=30)
                assert [d.policyName for d in answer.diagnostics] == expected
    finally:
        pack.terminate()
        pack.wait(timeout=10)
