"""The plan diff: the flatten/compare core (property-tested), replace rules, renderers, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tricloud import plan as planfile
from tricloud.diff import (
    ABSENT,
    Action,
    PropertyChange,
    StackStatus,
    diff_plans,
    diff_stack,
    diff_values,
    flatten,
)
from tricloud.diffrender import COMMENT_MARKER, render_markdown, render_text
from tricloud.plan import SECRET, PlannedResource, StackPlan

ROOT = Path(__file__).resolve().parents[1]

keys = st.text(alphabet="abc.-_[\" ", min_size=1, max_size=4)
leaves = st.one_of(st.none(), st.booleans(), st.integers(-5, 5),
                   st.text(alphabet="xyz", max_size=3), st.just(SECRET))
values = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)), max_leaves=12)
documents = st.dictionaries(keys, values, max_size=5)


@given(documents)
def test_a_document_never_differs_from_itself(doc):
    assert diff_values(doc, doc) == []


@given(documents, documents)
def test_added_removed_and_changed_paths_are_exact(a, b):
    fa, fb = flatten(a), flatten(b)
    changes = diff_values(a, b)
    added = {c.path for c in changes if c.before is ABSENT}
    removed = {c.path for c in changes if c.after is ABSENT}
    changed = {c.path for c in changes if ABSENT not in (c.before, c.after)}
    assert added == fb.keys() - fa.keys()
    assert removed == fa.keys() - fb.keys()
    assert changed == {p for p in fa.keys() & fb.keys()
                       if type(fa[p]) is not type(fb[p]) or fa[p] != fb[p]}
    assert [c.path for c in changes] == sorted(c.path for c in changes)


@given(documents, documents)
def test_the_diff_reversed_swaps_before_and_after(a, b):
    forward = {c.path: (c.before, c.after) for c in diff_values(a, b)}
    backward = {c.path: (c.after, c.before) for c in diff_values(b, a)}
    assert forward == backward


def _leaves(value) -> int:
    if isinstance(value, dict | list) and value:
        return sum(_leaves(v) for v in (value.values() if isinstance(value, dict) else value))
    return 1


@given(documents)
def test_no_two_leaves_share_a_path(doc):
    """Keys with dots, brackets or quotes are quoted, so every leaf keeps its own path."""
    assert len(flatten(doc)) == sum(_leaves(v) for v in doc.values())


def test_paths_are_dotted_and_json_strings_are_opened():
    doc = {"a": {"b": [1, {"c": 2}]}, "tags": {"k8s.io/x": "y"}, "empty": {},
           "policy": json.dumps({"Statement": [{"Action": "s3:GetObject"}]})}
    assert flatten(doc) == {"a.b[0]": 1, "a.b[1].c": 2, 'tags["k8s.io/x"]': "y", "empty": {},
                            "policy.Statement[0].Action": "s3:GetObject"}


def test_true_and_one_are_different_values():
    assert [c.path for c in diff_values({"x": 1}, {"x": True})] == ["x"]


def _resource(name: str = "raw", type_: str = "aws:s3/bucket:Bucket", parent: str | None = "P",
              **inputs) -> PlannedResource:
    return PlannedResource(
        urn=f"urn:pulumi:s::tricloud::{parent or ''}${type_}::{name}", type=type_, name=name,
        parent=parent, custom=True, provider="urn:provider", protect=False,
        retain_on_delete=False, inputs=inputs)


def _stack(*resources: PlannedResource, name: str = "dev-aws", **outputs) -> StackPlan:
    return StackPlan(stack=name, cloud="aws", region="eu-west-2", environment="dev",
                     resources=list(resources), outputs=outputs)


def test_an_ordinary_input_change_is_an_update_with_its_properties():
    base = _stack(_resource(versioning={"enabled": False}, tags={"a": "1"}))
    head = _stack(_resource(versioning={"enabled": True}, tags={"a": "1", "b": "2"}))
    (only,) = diff_stack(base, head).resources
    assert only.action is Action.UPDATE
    assert only.changes == (PropertyChange("tags.b", ABSENT, "2"),
                            PropertyChange("versioning.enabled", False, True))


def test_a_known_replace_property_or_provider_change_is_a_replace():
    renamed = diff_stack(_stack(_resource(bucket="a")), _stack(_resource(bucket="b")))
    assert renamed.resources[0].action is Action.REPLACE
    assert "bucket cannot change in place" in renamed.resources[0].reasons
    moved_region = diff_stack(
        _stack(_resource(type_="azure-native:storage:StorageAccount", location="uksouth")),
        _stack(_resource(type_="azure-native:storage:StorageAccount", location="westeurope")))
    assert moved_region.resources[0].action is Action.REPLACE
    new_provider = replace(_resource(), provider="urn:other")
    assert diff_stack(_stack(_resource()), _stack(new_provider)).resources[0].reasons == (
        "provider changed",)


def test_a_new_parent_without_alias_is_a_replace_and_with_alias_an_update():
    old = _resource(parent="A")
    unaliased = diff_stack(_stack(old), _stack(_resource(parent="B")))
    assert [r.action for r in unaliased.resources] == [Action.REPLACE]
    assert unaliased.resources[0].reasons == ("parent changed without an alias",)
    aliased = replace(_resource(name="raw2", parent="B"), aliases=[old.urn])
    moved = diff_stack(_stack(old), _stack(aliased))
    assert [r.action for r in moved.resources] == [Action.UPDATE]
    assert moved.resources[0].reasons[0].startswith(f"moved from {old.urn}")


def test_a_component_renamed_with_an_alias_moves_its_children_and_grandchildren_too():
    """The engine aliases a child under its parent's old URN, so a new type token on a
    component (aliased) replaces nothing below it; an unaliased rename replaces them all."""
    def tree(component_type: str, aliases: list[str]) -> list[PlannedResource]:
        component = replace(_resource("job", component_type, parent="Platform"), custom=False,
                            aliases=aliases)
        child = _resource("schedule", "tricloud:aws:SchedulerRole", parent=component.urn)
        grandchild = _resource("role", "aws:iam/role:Role", parent=child.urn)
        sibling_named_alike = _resource("role", "aws:iam/role:Role", parent="Elsewhere")
        return [component, child, grandchild, sibling_named_alike]

    before = tree("tricloud:aws:Compute", [])
    renamed = diff_stack(_stack(*before), _stack(*tree(
        "tricloud:aws:Job", [json.dumps({"spec": {"type": "tricloud:aws:Compute"}})])))
    assert [r.action for r in renamed.resources] == [Action.UPDATE] * 3
    assert all(r.reasons[0].startswith("moved from ") and "aliased" in r.reasons[0]
               for r in renamed.resources)
    assert {r.reasons[0].split()[2] for r in renamed.resources} == {
        r.urn for r in before[:3]}
    unaliased = diff_stack(_stack(*before), _stack(*tree("tricloud:aws:Job", [])))
    assert {r.action for r in unaliased.resources} == {
        Action.CREATE, Action.DELETE, Action.REPLACE}


def test_a_child_whose_urn_keeps_only_its_parents_type_moves_with_its_aliased_parent():
    component = replace(_resource("job", "tricloud:aws:Compute", parent="Platform"), custom=False)
    role = PlannedResource(urn="urn:pulumi:s::tricloud::tricloud:aws:Role$aws:iam/role:Role::r",
                           type="aws:iam/role:Role", name="r", parent=component.urn, custom=True,
                           provider="urn:provider", protect=False, retain_on_delete=False)
    renamed = replace(_resource("job", "tricloud:aws:Job", parent="Platform"), custom=False,
                      aliases=[json.dumps({"spec": {"type": "tricloud:aws:Compute"}})])
    result = diff_stack(_stack(component, role),
                        _stack(renamed, replace(role, parent=renamed.urn)))
    assert {(r.name, r.action) for r in result.resources} == {
        ("job", Action.UPDATE), ("r", Action.UPDATE)}
    assert [r.reasons for r in result.resources if r.name == "r"] == [
        ("moved with its parent (aliased: no replace)",)]
    orphaned = diff_stack(_stack(component, role), _stack(replace(role, parent="Elsewhere")))
    assert [r.action for r in orphaned.resources if r.name == "r"] == [Action.REPLACE]


def test_created_deleted_and_protect_changes():
    base = _stack(_resource("a"), _resource("b"))
    head = _stack(_resource("b", protect_me=None), replace(_resource("c"), protect=True))
    result = diff_stack(base, head)
    assert {(r.name, r.action) for r in result.resources} == {
        ("a", Action.DELETE), ("b", Action.UPDATE), ("c", Action.CREATE)}
    protected = diff_stack(_stack(_resource("a")), _stack(replace(_resource("a"), protect=True)))
    assert protected.resources[0].changes == (
        PropertyChange("(option) protect", False, True),)


def test_stacks_added_removed_and_unchanged():
    result = diff_plans([_stack(name="old"), _stack(name="same")],
                        [_stack(name="same"), _stack(_resource(), name="new")])
    assert [(s.stack, s.status) for s in result.stacks] == [
        ("new", StackStatus.ADDED), ("old", StackStatus.REMOVED), ("same", StackStatus.UNCHANGED)]
    assert result.stacks[0].resources[0].action is Action.CREATE


def test_secrets_are_never_shown_and_a_secret_change_says_so():
    base = _stack(_resource(password=SECRET, note="plain"), url="x")
    head = _stack(_resource(password="hunter2-leaked", note=SECRET), url="y")
    text = render_text(diff_plans([base], [head]))
    assert "password: changed (secret)" in text
    assert "note: changed (secret)" in text
    assert "hunter2" not in text and "plain" not in text
    assert '(output) url: "x" → "y"' in text
    same = diff_stack(_stack(_resource(password=SECRET)), _stack(_resource(password=SECRET)))
    assert same.status is StackStatus.UNCHANGED


def test_markdown_has_a_table_collapsible_sections_and_a_legend():
    diff = diff_plans([_stack(_resource(bucket="a"))], [_stack(_resource(bucket="b"))])
    md = render_markdown(diff)
    assert md.startswith(COMMENT_MARKER)
    assert "| `dev-aws` | changed | 0 | 0 | 1 | 0 | not run |" in md
    assert md.count("<details>") == md.count("</details>") == 1
    assert '+- replace aws:s3/bucket:Bucket  raw  (bucket cannot change in place)' in md
    assert "REPLACE_ON_CHANGE" in md
    assert md == render_markdown(diff)


@settings(max_examples=5, deadline=None)
@given(st.integers(2000, 4000))
def test_a_huge_diff_stays_under_the_comment_limit(n):
    head = [_stack(*(_resource(f"r{i:05}", blob="v" * 70) for i in range(n)), name=f"s{k}")
            for k in range(3)]
    md = render_markdown(diff_plans([], head), max_chars=60_000)
    assert len(md) < 60_000
    assert md.count("<details>") == md.count("</details>") == 3
    assert md.count("```diff") == md.count("```") // 2
    assert "more change(s) not shown" in md
    assert "| `s2` | added |" in md


def _write(path: Path, *plans: StackPlan) -> Path:
    planfile.write(list(plans), path)
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tricloud.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_diff_text_markdown_and_exit_codes(tmp_path: Path):
    base = _write(tmp_path / "base.json", _stack(_resource(size=1)))
    head = _write(tmp_path / "head.json", _stack(_resource(size=2)))
    result = run("diff", str(base), str(head), "--no-guardrails")
    assert result.returncode == 0, result.stderr
    assert "~     size: 1 → 2" in result.stdout
    assert run("diff", str(base), str(head), "--exit-code", "--no-guardrails").returncode == 1
    assert run("diff", str(base), str(base), "--exit-code", "--no-guardrails").returncode == 0
    out = tmp_path / "comment.md"
    result = run("diff", str(base), str(head), "--format", "markdown", "--output", str(out),
                 "--no-guardrails")
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith(COMMENT_MARKER)


def test_cli_diff_refuses_a_file_that_is_not_a_plan(tmp_path: Path):
    bogus = tmp_path / "x.json"
    bogus.write_text('{"format": "something-else"}')
    result = run("diff", str(bogus), str(bogus))
    assert result.returncode == 2
    assert "not a tricloud-plan/1 file" in result.stderr
    assert "Traceback" not in result.stderr
    assert run("diff", str(bogus), str(bogus), "--format", "html").returncode == 2


def test_affected_stacks_are_the_added_and_changed_ones_of_head():
    from tricloud.matrix import affected, github_matrix

    base = [_stack(_resource(size=1), name="a"), _stack(name="b"), _stack(name="gone")]
    head = [_stack(_resource(size=2), name="a"), _stack(name="b"), _stack(name="new")]
    entries = affected(base, head)
    assert [e["stack"] for e in entries] == ["a", "new"]
    assert entries[0] == {"stack": "a", "cloud": "aws", "region": "eu-west-2",
                          "environment": "dev"}
    assert json.loads(github_matrix(entries))["include"] == entries
    assert affected(head, head) == []


def test_guardrail_results_of_head_mark_what_is_new_since_base():
    from tricloud.diff import guardrail_findings
    from tricloud.guardrails import Severity, Violation

    def violation(rule: str, urn: str, severity=Severity.MANDATORY) -> Violation:
        return Violation(rule, severity, "dev-aws", urn, "aws:s3/bucket:Bucket", f"{rule} broken")

    old = violation("required-tags", "urn:a", Severity.ADVISORY)
    new = violation("public-storage", "urn:::raw")
    findings = guardrail_findings([old], [old, new])
    assert [(f.violation.rule_id, f.new) for f in findings] == [
        ("public-storage", True), ("required-tags", False)]
    diff = diff_plans([_stack(_resource())], [_stack(_resource())])
    md = render_markdown(diff, {"dev-aws": findings})
    assert "| 0 | 0 | 0 | 0 | ❌ 1 mandatory, 1 advisory (**1 new**) |" in md
    assert ("- 🆕 **mandatory** `public-storage` aws:s3/bucket:Bucket `raw`: "
            "public-storage broken") in md
    assert "NEW mandatory public-storage" in render_text(diff, {"dev-aws": findings})


def test_entries_known_by_a_unique_name_are_compared_by_name_not_position():
    """One environment variable inserted in a sorted list is one addition, however many
    entries follow it; a list whose names repeat is still compared by position."""
    before = {"env": [{"name": "A", "value": "1"}, {"name": "C", "value": "3"}]}
    after = {"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"},
                     {"name": "C", "value": "3"}]}
    assert diff_values(before, after) == [PropertyChange("env[name=B].value", ABSENT, "2")]
    changed = {"env": [{"name": "A", "value": "1"}, {"name": "C", "value": "4"}]}
    assert diff_values(before, changed) == [PropertyChange("env[name=C].value", "3", "4")]
    twice = [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]
    assert flatten({"env": twice}) == {"env[0].name": "A", "env[0].value": "1",
                                       "env[1].name": "A", "env[1].value": "2"}
    assert flatten({"env": [{"name": "a b", "value": "x"}]}) == {'env[name="a b"].value': "x"}
