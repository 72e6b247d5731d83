"""Every stack file synthesises under Pulumi's mocks; the result is complete, safe and stable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from components.contract import OUTPUT_NAMES
from components.registry import PACKAGES, sdk_module
from config.enums import Cloud
from tests.infra.conftest import ALL_STACKS
from tricloud.plan import SECRET
from tricloud.synth import OFFLINE_SECRET

ROOT = Path(__file__).resolve().parents[2]
TRICLOUD = [sys.executable, "-m", "tricloud.cli"]


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_stack_synthesises_with_the_whole_contract(synth, stack):
    plan = synth(stack)
    assert plan.resources, f"{stack} declared nothing"
    assert set(plan.outputs) == set(OUTPUT_NAMES)
    empty = [k for k, v in plan.outputs.items() if v in ("", None)]
    assert not empty, f"{stack} leaves contract outputs empty: {empty}"


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_one_platform_component_parents_everything(synth, stack):
    plan = synth(stack)
    roots = [r for r in plan.resources if r.parent is None]
    assert [r.type for r in roots] == [f"tricloud:{plan.cloud}:Platform"]
    urns = {r.urn for r in plan.resources}
    assert all(r.parent in urns for r in plan.resources if r.parent is not None)


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_cloud_resources_use_the_stack_provider_never_a_default_one(synth, stack):
    plan = synth(stack)
    providers = {r.urn for r in plan.resources if r.type.startswith("pulumi:providers:")}
    assert providers, f"{stack} builds no explicit provider"
    for r in plan.resources:
        if r.custom and not r.type.startswith("pulumi:providers:"):
            assert r.provider in providers, f"{r.type} {r.name} uses {r.provider}"
            assert "::default" not in (r.provider or "")


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_secrets_never_reach_the_plan_in_clear(synth, stack):
    text = json.dumps([r.inputs for r in synth(stack).resources])
    assert OFFLINE_SECRET not in text
    assert "mock-password" not in text


def test_components_follow_the_type_token_convention(synth):
    for stack in ALL_STACKS:
        plan = synth(stack)
        for r in plan.resources:
            if not r.custom and not r.type.startswith("pulumi:"):
                assert r.type.startswith(f"tricloud:{plan.cloud}:"), r.type


def _plan_json(tmp_path: Path, name: str, *stack_args: str) -> bytes:
    out = tmp_path / name
    subprocess.run([*TRICLOUD, "plan", *stack_args, "--quiet", "--json", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=600)
    return out.read_bytes()


def test_plan_json_is_byte_identical_across_runs(tmp_path):
    first = _plan_json(tmp_path, "a.json", "--all")
    second = _plan_json(tmp_path, "b.json", "--all")
    assert first == second
    document = json.loads(first)
    assert document["format"] == "tricloud-plan/1"
    assert [s["stack"] for s in document["stacks"]] == sorted(ALL_STACKS)
    assert SECRET in first.decode()  # the placeholder secret is there, masked


@pytest.mark.parametrize("cloud", list(Cloud))
def test_synthesising_one_cloud_imports_no_other_clouds_sdk(cloud):
    stack = next(s for s in ALL_STACKS if s.split("-")[1] == cloud.value)
    probe = (
        "import sys; from pathlib import Path; from tricloud.synth import synthesize; "
        f"synthesize(Path('stacks/Pulumi.{stack}.yaml')); "
        f"print(sorted(m for m in {sorted(sdk_module(c) for c in PACKAGES)!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True,
                            capture_output=True, text=True, timeout=300)
    assert result.stdout.strip() == repr([sdk_module(cloud)])


def test_plan_does_not_depend_on_where_the_checkout_lives(synth):
    for stack in ALL_STACKS:
        text = json.dumps([r.inputs for r in synth(stack).resources])
        assert str(ROOT) not in text, f"{stack} leaks the checkout path into its plan"
