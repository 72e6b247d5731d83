"""The Azure platform as a whole: parenting, provider, tags, outputs, and what it imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from components.contract import OUTPUT_NAMES
from tests.infra.support_azure import AZ, AZURE_STACKS, is_taggable, tags_of

ROOT = Path(__file__).resolve().parents[2]
# Every azure-native submodule the Azure platform may load, and nothing more.
CLOUD = "azure"
AZURE_SUBMODULES = frozenset({
    "app", "authorization", "containerregistry", "dbforpostgresql", "keyvault",
    "managedidentity", "monitor", "network", "operationalinsights", "privatedns", "resources",
    "storage",
})


def test_every_resource_is_under_the_platform_component(plan):
    (root,) = [r for r in plan.resources if r.parent is None]
    assert root.type == "tricloud:azure:Platform"
    by_urn = {r.urn: r for r in plan.resources}
    for r in plan.resources:
        seen = r
        while seen.parent is not None:
            seen = by_urn[seen.parent]
        assert seen is root, r.urn


def test_components_use_the_azure_type_tokens(plan):
    components = {r.type for r in plan.resources if not r.custom}
    assert components == {f"tricloud:azure:{n}" for n in (
        "Platform", "Network", "Storage", "Database", "Secrets", "ImageRegistry", "Identities",
        "Job", "Monitoring")}


def test_azure_resources_use_the_stacks_explicit_provider(plan):
    provider = plan.one("pulumi:providers:azure-native")
    assert provider.inputs["location"] == plan.region
    for r in plan.resources:
        if r.type.startswith(f"{AZ}:"):
            assert r.provider == provider.urn, r.urn


def test_every_taggable_resource_carries_the_standard_tags(plan):
    taggable = [r for r in plan.resources if r.type.startswith(f"{AZ}:") and is_taggable(r.type)]
    assert len(taggable) >= 15
    for r in taggable:
        assert r.inputs.get("tags") == tags_of(plan.stack), f"{r.type} {r.name} is not tagged"


def test_every_output_is_filled(plan):
    outputs = plan.outputs
    assert set(outputs) == set(OUTPUT_NAMES)
    assert all(v not in ("", None, "[unknown]") for v in outputs.values()), outputs
    assert outputs["raw_storage_uri"].startswith("abfs://raw@")
    assert outputs["processed_storage_uri"].startswith("abfs://processed@")
    assert outputs["warehouse_host"].endswith(".postgres.database.azure.com")
    assert outputs["warehouse_secret_ref"].startswith("https://")
    assert outputs["source_secret_ref"].startswith("https://")


def test_plan_has_no_unknowns_or_none_in_names_and_scopes(plan):
    text = json.dumps([r.inputs for r in plan.resources])
    assert "[unknown]" not in text
    assert "null" not in text
    # A None that leaked through an f-string shows up inside an id, a URI or a name.
    assert "/None" not in text and "None/" not in text and "None." not in text


def test_synthesising_azure_loads_only_the_azure_native_submodules_it_uses():
    probe = (
        "import sys, json; from pathlib import Path; from tricloud.synth import synthesize; "
        f"synthesize(Path('stacks/Pulumi.{AZURE_STACKS[0]}.yaml')); "
        # A submodule is loaded (not just a lazy placeholder) once its own modules are imported.
        "loaded = sorted({m.split('.')[1] for m in sys.modules "
        "if m.startswith('pulumi_azure_native.') and m.count('.') >= 2}); "
        "print(json.dumps({'loaded': loaded, 'others': sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('pulumi_aws', 'pulumi_gcp'))}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True,
                            capture_output=True, text=True, timeout=300)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["others"] == []
    assert set(found["loaded"]) == AZURE_SUBMODULES


@pytest.mark.cloud
@pytest.mark.parametrize("stack", [s for s in AZURE_STACKS if s.startswith("dev-")])
def test_deployed_job_can_read_its_secrets_and_storage(stack):
    """Needs a deployed stack: run the job once and expect a succeeded execution."""
    out = subprocess.run(["pulumi", "stack", "output", "--json", "--stack", stack], cwd=ROOT,
                         check=True, capture_output=True, text=True, timeout=120)
    outputs = json.loads(out.stdout)
    group = f"tricloud-{stack}"
    run = subprocess.run(
        ["az", "containerapp", "job", "start", "--name", outputs["job_name"],
         "--resource-group", group, "--output", "json"],
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
