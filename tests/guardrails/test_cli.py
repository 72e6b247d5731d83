"""``tricloud check`` and the guardrail summary of ``tricloud plan``, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tricloud.synth
from config.stacks import STACKS_DIR
from tests.guardrails.conftest import ALL_STACKS, edited, first, swapped
from tricloud import plan as planfile
from tricloud.cli import main


@pytest.fixture
def cached_synthesis(monkeypatch, synth):
    """The CLI's synthesis served from the session cache (same function, run once per stack)."""
    for stack in ALL_STACKS:
        synth(stack)  # warm the cache before the real function is patched away
    monkeypatch.setattr(tricloud.synth, "synthesize",
                        lambda path: synth(Path(path).name[len("Pulumi."):-len(".yaml")]))


def _bad_prod_aws(synth):
    plan = synth("prod-aws")
    block = first(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "raw")
    return swapped(plan, edited(block, restrictPublicBuckets=False))


def test_check_all_passes_on_the_repository(cached_synthesis, capsys):
    assert main(["check", "--all"]) == 0
    out = capsys.readouterr().out
    assert out.count(" ok (9 rules") == len(list(STACKS_DIR.glob("Pulumi.*.yaml"))) == 7


def test_check_of_a_bad_plan_file_lists_each_violation_and_exits_1(synth, tmp_path, capsys):
    path = tmp_path / "bad.json"
    planfile.write([synth("dev-gcp"), _bad_prod_aws(synth)], path)
    assert main(["check", "--plan", str(path)]) == 1
    out = capsys.readouterr().out
    assert "guardrails: dev-gcp" in out and " ok " in out.split("\n")[0]
    line = next(ln for ln in out.splitlines() if "public-storage" in ln)
    assert "MANDATORY" in line and "BucketPublicAccessBlock 'raw'" in line
    assert "restrictPublicBuckets off; fix: " in out
    assert "1 mandatory violation(s) in prod-aws" in out


def test_check_of_one_stack_of_a_plan_file(synth, tmp_path, capsys):
    path = tmp_path / "plan.json"
    planfile.write([synth("dev-gcp"), _bad_prod_aws(synth)], path)
    assert main(["check", "--plan", str(path), "--stack", "dev-gcp"]) == 0
    assert "prod-aws" not in capsys.readouterr().out


@pytest.mark.parametrize(("content", "needle"), [
    (None, "cannot read the plan file"),
    ("{not json", "cannot read the plan file"),
    (json.dumps({"format": "other/9", "stacks": []}), "not a tricloud-plan/1 file"),
])
def test_check_refuses_an_unreadable_plan_file_with_exit_2(tmp_path, capsys, content, needle):
    path = tmp_path / "plan.json"
    if content is not None:
        path.write_text(content)
    assert main(["check", "--plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "tricloud plan --all --json FILE" in err


def test_check_names_a_stack_missing_from_the_plan_file(synth, tmp_path, capsys):
    path = tmp_path / "plan.json"
    planfile.write([synth("dev-gcp")], path)
    assert main(["check", "--plan", str(path), "--stack", "prod-eu"]) == 2
    assert "has no stack prod-eu; it holds dev-gcp" in capsys.readouterr().err


def test_plan_prints_a_summary_and_fails_on_a_mandatory_violation_after_writing_json(
        monkeypatch, synth, tmp_path, capsys):
    monkeypatch.setattr(tricloud.synth, "synthesize", lambda path: _bad_prod_aws(synth))
    out_file = tmp_path / "plan.json"
    assert main(["plan", "--stack", "prod-aws", "--quiet", "--json", str(out_file)]) == 1
    assert planfile.load(out_file)[0].stack == "prod-aws"  # written before the verdict
    assert "1 mandatory, 0 advisory" in capsys.readouterr().out


def test_plan_of_a_good_stack_exits_0_with_an_ok_summary(cached_synthesis, capsys):
    assert main(["plan", "--stack", "dev-azure", "--quiet"]) == 0
    assert "guardrails: dev-azure" in capsys.readouterr().out
