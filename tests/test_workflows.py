"""The CI workflows' shape: triggers, jobs, least-privilege permissions, pinned actions."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.stacks import stack_files

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONS = ROOT / ".github" / "actions"
_PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$")


def load(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    document["on"] = document.pop(True, document.get("on"))  # PyYAML reads `on` as True
    return document


def all_documents() -> dict[str, dict]:
    docs = {p.name: load(p.name) for p in sorted(WORKFLOWS.glob("*.yml"))}
    docs |= {f"actions/{p.parent.name}": yaml.safe_load(p.read_text())
             for p in sorted(ACTIONS.glob("*/action.yml"))}
    return docs


def steps_of(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses_in(document: dict) -> list[str]:
    found = []
    for job in document.get("jobs", {}).values():
        found += [job["uses"]] if "uses" in job else []
        found += [s["uses"] for s in steps_of(job) if "uses" in s]
    found += [s["uses"] for s in document.get("runs", {}).get("steps", []) if "uses" in s]
    return found


def text_of(job: dict) -> str:
    return json.dumps(job)


def test_the_expected_workflows_exist():
    assert {p.name for p in WORKFLOWS.glob("*.yml")} == {
        "plan-diff.yml", "plan-diff-comment.yml", "plan-pair.yml", "preview.yml", "deploy.yml",
        "drift.yml"}


def test_every_action_is_pinned_to_a_version_or_sha():
    for name, document in all_documents().items():
        for use in uses_in(document):
            if use.startswith("./"):
                target = ROOT / use.removeprefix("./")
                assert target.exists(), f"{name}: {use} does not exist"
                continue
            assert _PINNED.match(use), f"{name}: {use} is not pinned to a version tag or sha"


def test_least_privilege_everywhere():
    for name, document in all_documents().items():
        if name.startswith("actions/") or set(document["on"]) == {"workflow_call"}:
            continue  # composite actions and called workflows inherit the caller's grant
        assert document.get("permissions") == {}, f"{name}: no default token permissions"
        for job_name, job in document["jobs"].items():
            permissions = job.get("permissions")
            assert isinstance(permissions, dict), f"{name}:{job_name} declares its permissions"
            assert "write-all" not in text_of(job) and "read-all" not in text_of(job)
            logs_in = "cloud-login" in text_of(job)
            assert (permissions.get("id-token") == "write") == logs_in, (
                f"{name}:{job_name}: id-token write exactly where a cloud login happens")


def test_the_fork_safe_diff_reads_only_and_posting_is_separate():
    diff = load("plan-diff.yml")
    assert set(diff["on"]) == {"pull_request"}
    (job,) = diff["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    assert job["uses"] == "./.github/workflows/plan-pair.yml"
    pair = load("plan-pair.yml")
    assert set(pair["on"]) == {"workflow_call"}
    body = (WORKFLOWS / "plan-pair.yml").read_text()
    assert "secrets." not in body and "id-token" not in body and "cloud-login" not in body
    assert "tricloud plan --all --quiet --json" in body
    assert "tricloud diff base.json head.json --format markdown" in body
    assert "pip install -e '.[infra]'" in body
    poster = load("plan-diff-comment.yml")
    assert poster["on"]["workflow_run"]["workflows"] == [diff["name"]]
    (post,) = poster["jobs"].values()
    assert post["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert not any(s.get("uses", "").startswith("actions/checkout") for s in steps_of(post))


def test_preview_runs_per_affected_stack_with_one_comment_each():
    preview = load("preview.yml")
    assert set(preview["on"]) == {"pull_request"}
    plans, job = preview["jobs"]["plans"], preview["jobs"]["preview"]
    assert "head.repo.full_name == github.repository" in plans["if"]
    assert job["needs"] == "plans"
    assert "fromJSON(needs.plans.outputs.matrix)" in job["strategy"]["matrix"]
    assert job["strategy"]["fail-fast"] is False
    assert job["permissions"] == {"contents": "read", "id-token": "write",
                                  "pull-requests": "write"}
    (pulumi,) = [s for s in steps_of(job) if s.get("uses", "").startswith("pulumi/actions@")]
    assert pulumi["with"]["command"] == "preview"
    assert pulumi["with"]["diff"] is True
    assert pulumi["with"]["comment-on-pr"] is True and pulumi["with"]["edit-pr-comment"] is True
    assert "matrix.stack" in pulumi["with"]["stack-name"]
    assert "matrix.stack" in job["name"] and "matrix.stack" in job["concurrency"]["group"]


def test_deploy_goes_dev_then_staging_then_prod_behind_the_prod_environment():
    deploy = load("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    jobs = deploy["jobs"]
    assert "tricloud check --all" in text_of(jobs["stacks"])
    for env in ("dev", "staging", "prod"):
        job = jobs[f"deploy-{env}"]
        assert job["environment"] == env
        assert f"needs.stacks.outputs.{env}" in job["strategy"]["matrix"]
        assert job["concurrency"] == {"group": "deploy-${{ matrix.stack }}",
                                      "cancel-in-progress": False}
        (up,) = [s for s in steps_of(job) if s.get("uses", "").startswith("pulumi/actions@")]
        assert up["with"]["command"] == "up"
    assert "deploy-dev" in jobs["deploy-prod"]["needs"]
    assert "deploy-staging" in jobs["deploy-prod"]["needs"]
    assert "deploy-dev" in jobs["deploy-staging"]["needs"]


def test_drift_refreshes_expects_no_changes_and_names_the_stack():
    drift = load("drift.yml")
    assert set(drift["on"]) == {"schedule", "workflow_dispatch"}
    assert drift["on"]["schedule"][0]["cron"]
    job = drift["jobs"]["drift"]
    assert job["strategy"]["fail-fast"] is False
    assert "matrix.stack" in job["name"]
    command = text_of(job)
    assert "pulumi preview" in command and "--refresh" in command
    assert "--expect-no-changes" in command
    assert any(s.get("if") == "failure()" and "GITHUB_STEP_SUMMARY" in s["run"]
               for s in steps_of(job))
    report = drift["jobs"]["report"]
    assert report["if"] == "failure()" and report["permissions"]["issues"] == "write"


def test_every_cloud_logs_in_with_oidc_and_no_long_lived_keys():
    login = yaml.safe_load((ACTIONS / "cloud-login" / "action.yml").read_text())
    by_cloud = {s["if"]: s for s in login["runs"]["steps"] if "uses" in s}
    assert by_cloud["inputs.cloud == 'aws'"]["with"]["role-to-assume"]
    assert by_cloud["inputs.cloud == 'gcp'"]["with"]["workload_identity_provider"]
    assert set(by_cloud["inputs.cloud == 'azure'"]["with"]) == {
        "client-id", "tenant-id", "subscription-id"}
    everything = "".join(p.read_text() for p in ROOT.glob(".github/**/*.yml"))
    for forbidden in ("AWS_SECRET_ACCESS_KEY", "credentials_json", "client-secret",
                      "ARM_CLIENT_SECRET"):
        assert forbidden not in everything


def _matrix(*args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "tricloud.cli", "matrix", *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    return [e["stack"] for e in json.loads(result.stdout)["include"]]


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_computed_matrices_cover_exactly_the_stack_files(env: str):
    names = {p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in stack_files()}
    assert set(_matrix()) == names
    assert set(_matrix("--env", env)) == {n for n in names if n.startswith(f"{env}-")}
    assert "tricloud matrix --env" in (WORKFLOWS / "deploy.yml").read_text()
    assert "tricloud matrix)" in (WORKFLOWS / "drift.yml").read_text()
