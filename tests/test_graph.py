"""``tricloud plan --graph``: a well-formed Mermaid flowchart with the pipeline's data paths."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra.conftest import _synth
from tricloud.graph import ENDPOINTS, MAX_CHILDREN, Role, data_paths, fenced, render
from tricloud.plan import PlannedResource, StackPlan

ROOT = Path(__file__).resolve().parents[1]
DEV_STACKS = ["dev-aws", "dev-azure", "dev-gcp"]
_NODE = re.compile(r'^\s*(\w+)(\[\(|\[)"')
_SUBGRAPH = re.compile(r'^\s*subgraph (\w+) \["')
_EDGE = re.compile(r"^\s*(\w+) (--|-\.) [^>]+ (-->|\.->) (\w+)$")


def check_mermaid(text: str) -> tuple[set[str], list[tuple[str, str, bool]]]:
    """Parse the subset of Mermaid the renderer emits; fail on anything else."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR"
    declared: list[str] = []
    edges: list[tuple[str, str, bool]] = []
    depth = 0
    for line in lines[1:]:
        if m := _SUBGRAPH.match(line):
            declared.append(m[1])
            depth += 1
        elif line.strip() == "end":
            depth -= 1
            assert depth >= 0, "an end without its subgraph"
        elif m := _NODE.match(line):
            declared.append(m[1])
            assert line.rstrip().endswith(('"]', '")]')), line
        elif m := _EDGE.match(line):
            edges.append((m[1], m[4], m[2] == "--"))
        else:
            pytest.fail(f"not a line of the expected Mermaid shape: {line!r}")
    assert depth == 0, "a subgraph is not closed"
    assert len(declared) == len(set(declared)), "a node id is declared twice"
    for source, target, _ in edges:
        assert {source, target} <= set(declared), f"edge {source} -> {target} to nothing"
    return set(declared), edges


@pytest.mark.parametrize("stack", DEV_STACKS)
def test_each_cloud_draws_a_valid_flowchart_with_the_data_paths(stack: str):
    plan = _synth(stack)
    text = render(plan)
    _, edges = check_mermaid(text)
    roles = {}
    for edge in data_paths(plan):
        target = next(r for r in plan.resources if r.urn == edge.target)
        roles.setdefault(edge.role, []).append((target.name, edge.referenced))
    storage = sorted(n for n, _ in roles[Role.STORAGE])
    assert storage == ["processed", "raw"]
    assert all(referenced for _, referenced in roles[Role.STORAGE])
    assert len(roles[Role.DATABASE]) == 1
    assert any("source-url" in n for n, referenced in roles[Role.SECRET] if referenced)
    assert len(edges) == sum(len(v) for v in roles.values())
    assert text == render(_synth(stack))  # deterministic, so the docs' block is stable


def test_references_make_solid_edges_and_roles_dotted_ones():
    job = _resource("job", "gcp:cloudrunv2/job:Job",
                    env=[{"value": "gs://bucket-a"}, {"secret": "projects/p/secrets/pw"}])
    plan = _plan(job, _resource("a", "gcp:storage/bucket:Bucket", name="bucket-a"),
                 _resource("b", "gcp:storage/bucket:Bucket", name="bucket-b"),
                 _resource("db", "gcp:sql/databaseInstance:DatabaseInstance"),
                 _resource("pw", "gcp:secretmanager/secret:Secret", secretId="pw"))
    found = {(e.target.rsplit("::", 1)[1], e.role, e.referenced) for e in data_paths(plan)}
    assert found == {("a", Role.STORAGE, True), ("db", Role.DATABASE, False),
                     ("pw", Role.SECRET, True)}
    _, edges = check_mermaid(render(plan))
    assert sorted(solid for *_, solid in edges) == [False, True, True]


def test_many_plain_children_collapse_into_one_node_of_type_counts():
    parent = PlannedResource(urn="urn:c", type="tricloud:aws:Network", name="network",
                             parent=None, custom=False, provider=None, protect=False,
                             retain_on_delete=False)
    subnets = [_resource(f"s{i}", "aws:ec2/subnet:Subnet", parent="urn:c")
               for i in range(MAX_CHILDREN + 1)]
    text = render(_plan(parent, *subnets, _resource("vpc", "aws:ec2/vpc:Vpc", parent="urn:c")))
    declared, _ = check_mermaid(text)
    assert f'["Subnet x{MAX_CHILDREN + 1}<br/>Vpc"]' in text
    assert len(declared) == 2


def test_every_endpoint_type_has_a_role_and_each_cloud_has_all_four():
    for cloud in ("aws", "gcp", "azure"):
        roles = {e.role for t, e in ENDPOINTS.items() if t.startswith(cloud)}
        assert roles == set(Role), cloud


def test_fenced_block_and_cli_refuses_more_than_one_stack():
    plan = _plan(_resource("job", "azure-native:app:Job"))
    assert fenced(plan).startswith("```mermaid\nflowchart LR\n")
    assert fenced(plan).endswith("\n```")
    result = subprocess.run([sys.executable, "-m", "tricloud.cli", "plan", "--all", "--graph"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "--graph draws one stack" in result.stderr


def _resource(logical: str, type_: str, parent: str | None = None, **inputs) -> PlannedResource:
    return PlannedResource(urn=f"urn:{type_}::{logical}", type=type_, name=logical, parent=parent,
                           custom=True, provider=None, protect=False, retain_on_delete=False,
                           inputs=inputs)


def _plan(*resources: PlannedResource) -> StackPlan:
    return StackPlan(stack="t", cloud="gcp", region="r", environment="dev",
                     resources=list(resources), outputs={})
