"""`tricloud doctor`: each check reads what the tools answer and says the fix when it fails.

The Pulumi CLI, a Docker engine and cloud logins do not exist on a test machine, so the checks
are driven by a table of CLI answers; the command itself runs for real once, where most checks
fail, and must still name every fix in one run."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from config.enums import Cloud
from config.stacks import STACKS_DIR
from tricloud import doctor
from tricloud.doctor import Status

ROOT = Path(__file__).resolve().parents[1]


def answers(table: dict[str, tuple[int, str]]) -> doctor.Runner:
    """A runner that answers each command line from ``table``; absent means not installed."""
    def run(command: Sequence[str]) -> subprocess.CompletedProcess[str] | None:
        found = table.get(" ".join(command))
        if found is None:
            return None
        code, out = found
        return subprocess.CompletedProcess(list(command), code, out if code == 0 else "",
                                           "" if code == 0 else out)
    return run


@pytest.mark.parametrize(("answer", "status", "detail"), [
    (None, Status.FAIL, "not found on PATH"),
    ((0, "v3.139.9\n"), Status.FAIL,
     "3.139.9 is older than 3.140.0, which the SDK in pyproject.toml needs"),
    ((0, "v3.140.0\n"), Status.OK, "3.140.0"),
    ((0, "v3.205.1\n"), Status.OK, "3.205.1"),
    ((1, "error: broken install"), Status.FAIL, "`pulumi version` failed: error: broken install"),
])
def test_pulumi_cli_version(answer, status, detail):
    result = doctor.pulumi_cli(answers({"pulumi version": answer} if answer else {}))
    assert (result.status, result.detail) == (status, detail)
    assert result.fix or status is Status.OK


def test_docker_needs_an_engine_and_buildx():
    engine = "docker version --format {{.Server.Version}}"
    no_daemon = doctor.docker(answers({engine: (1, "Cannot connect to the Docker daemon")}))
    no_buildx = doctor.docker(answers({engine: (0, "28.2.2\n")}))
    ready = doctor.docker(answers({engine: (0, "28.2.2\n"),
                                   "docker buildx version": (0, "github.com/docker/buildx v0.20")}))
    assert [(r.name, r.status) for r in no_daemon] == [("docker", Status.FAIL)]
    assert "start the Docker daemon" in no_daemon[0].fix
    assert [(r.name, r.status) for r in no_buildx] == [("docker", Status.OK),
                                                       ("docker buildx", Status.FAIL)]
    assert [r.status for r in ready] == [Status.OK, Status.OK]


@pytest.mark.parametrize(("cloud", "env", "ok"), [
    (Cloud.AWS, {"AWS_ROLE_ARN": "arn:x", "AWS_WEB_IDENTITY_TOKEN_FILE": "/t"}, True),
    (Cloud.AWS, {"AWS_ROLE_ARN": "arn:x"}, False),
    (Cloud.AWS, {"AWS_PROFILE": "dev"}, True),
    (Cloud.GCP, {"GOOGLE_APPLICATION_CREDENTIALS": "/k.json"}, True),
    (Cloud.GCP, {}, False),
    (Cloud.AZURE, {"ARM_CLIENT_ID": "c", "ARM_TENANT_ID": "t", "ARM_USE_OIDC": "true"}, True),
    (Cloud.AZURE, {"ARM_CLIENT_ID": "c", "ARM_TENANT_ID": "t"}, False),
])
def test_credentials_from_the_environment(cloud, env, ok):
    result = doctor.credentials(cloud, env, answers({}))
    assert (result.status is Status.OK) == ok
    if not ok:
        assert "CLI not installed" in result.detail and "OIDC" in result.fix


def test_credentials_from_a_cli_login():
    result = doctor.credentials(Cloud.AZURE, {}, answers({"az account show": (0, "{}")}))
    assert (result.status, result.detail) == (Status.OK, "`az account show` succeeds")


def test_a_file_backend_must_be_a_writable_folder(tmp_path: Path):
    ok = doctor.state_backend({"PULUMI_BACKEND_URL": tmp_path.as_uri()}, answers({}))
    missing = doctor.state_backend({"PULUMI_BACKEND_URL": (tmp_path / "no").as_uri()},
                                   answers({}))
    assert (ok.status, missing.status) == (Status.OK, Status.FAIL)
    assert missing.fix.startswith("mkdir -p ")


def test_an_invalid_stack_fails_with_the_validate_command(tmp_path: Path):
    bad = tmp_path / "Pulumi.dev-aws.yaml"
    bad.write_text((STACKS_DIR / "Pulumi.dev-aws.yaml").read_text().replace(
        "cloud: aws", "cloud: oracle"))
    results, cloud = doctor.stack(bad)
    assert cloud is None
    assert [(r.name, r.status) for r in results] == [("stack config", Status.FAIL)]
    assert results[0].fix == "tricloud validate --stack dev-aws lists every problem"


def test_the_command_names_every_fix_in_one_run(tmp_path: Path):
    # HOME is a temporary folder: the cloud CLIs it probes write their logs and config there.
    proc = subprocess.run([sys.executable, "-m", "tricloud.cli", "doctor", "--stack", "dev-gcp"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    lines = proc.stdout.strip().splitlines()
    names = [line[6:24].strip() for line in lines[:-1]]
    assert proc.returncode == 1
    assert names[0] == "pulumi CLI" and "stack config" in names and "GCP credentials" in names
    assert all("; fix: " in line for line in lines[:-1] if line.startswith("FAIL"))
    assert lines[-1].endswith("to fix before `pulumi up --stack dev-gcp`")
