"""``tricloud doctor``: is this machine ready to deploy a stack for real?

The offline tools need nothing but Python; ``pulumi up`` needs a Pulumi CLI new enough for the
SDK pinned in pyproject.toml, a Docker engine with buildx (the pipeline image is built during
the deploy), the cloud's credentials, a valid stack with its source URL set as a secret, and a
state backend the CLI is logged in to. Each check is one line with the fix, so a new user learns
everything that is missing in one run rather than one ``pulumi up`` failure at a time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml

from config.enums import Cloud
from config.errors import USER_ERRORS
from config.loader import SOURCE_URL_KEY, load_stack_file, stack_name
from config.stacks import check_against_all

# The Pulumi SDK pin in pyproject.toml (pulumi>=3.140): an older CLI cannot run this program.
MIN_PULUMI = (3, 140, 0)
COMMAND_TIMEOUT_SECONDS = 20


class Status(Enum):
    OK = "ok"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Result:
    """One check: what was looked at, what was found, and what to do when it failed."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    def line(self) -> str:
        fix = f"; fix: {self.fix}" if self.status is Status.FAIL and self.fix else ""
        return f"{self.status.value:<4}  {self.name:<18} {self.detail}{fix}"


Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str] | None"]


def run_command(command: Sequence[str]) -> subprocess.CompletedProcess[str] | None:
    """Run a CLI briefly; None when it is not installed or does not answer in time."""
    if shutil.which(command[0]) is None:
        return None
    try:
        return subprocess.run(list(command), capture_output=True, text=True, check=False,
                              timeout=COMMAND_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired):
        return None


def _first_line(proc: subprocess.CompletedProcess[str]) -> str:
    text = (proc.stderr or proc.stdout).strip()
    return text.splitlines()[-1] if text else f"exit {proc.returncode}"


def pulumi_cli(run: Runner) -> Result:
    proc = run(["pulumi", "version"])
    install = "install the Pulumi CLI (https://www.pulumi.com/docs/install/) and put it on PATH"
    if proc is None:
        return Result("pulumi CLI", Status.FAIL, "not found on PATH", install)
    match = re.search(r"v?(\d+)\.(\d+)\.(\d+)", proc.stdout)
    if proc.returncode != 0 or match is None:
        return Result("pulumi CLI", Status.FAIL, f"`pulumi version` failed: {_first_line(proc)}",
                      install)
    version = tuple(int(g) for g in match.groups())
    shown = ".".join(map(str, version))
    if version < MIN_PULUMI:
        return Result("pulumi CLI", Status.FAIL,
                      f"{shown} is older than {'.'.join(map(str, MIN_PULUMI))}, which the SDK "
                      "in pyproject.toml needs", "upgrade the Pulumi CLI (pulumi self upgrade)")
    return Result("pulumi CLI", Status.OK, shown)


def docker(run: Runner) -> list[Result]:
    proc = run(["docker", "version", "--format", "{{.Server.Version}}"])
    if proc is None:
        return [Result("docker", Status.FAIL, "not found on PATH",
                       "install Docker Engine (the deploy builds the pipeline image)")]
    if proc.returncode != 0:
        return [Result("docker", Status.FAIL, f"engine not reachable: {_first_line(proc)}",
                       "start the Docker daemon, or set DOCKER_HOST to a reachable engine")]
    engine = Result("docker", Status.OK, f"engine {proc.stdout.strip()}")
    buildx = run(["docker", "buildx", "version"])
    if buildx is None or buildx.returncode != 0:
        return [engine, Result("docker buildx", Status.FAIL, "not available",
                               "install the buildx plugin (docker-buildx-plugin)")]
    return [engine, Result("docker buildx", Status.OK, buildx.stdout.strip().split("\n")[0])]


# Per cloud: the variable sets that mean a CI login (OIDC) or a local one, and the CLI command
# that proves a login, in the order they are tried.
_CREDENTIAL_ENV: dict[Cloud, tuple[tuple[str, ...], ...]] = {
    Cloud.AWS: (("AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"),
                ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"), ("AWS_PROFILE",)),
    Cloud.GCP: (("GOOGLE_APPLICATION_CREDENTIALS",), ("GOOGLE_GHA_CREDS_PATH",),
                ("CLOUDSDK_AUTH_ACCESS_TOKEN",)),
    Cloud.AZURE: (("ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_USE_OIDC"),
                  ("ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_CLIENT_SECRET")),
}
_LOGIN_COMMAND: dict[Cloud, tuple[list[str], str]] = {
    Cloud.AWS: (["aws", "sts", "get-caller-identity"], "aws sso login (or aws configure)"),
    Cloud.GCP: (["gcloud", "auth", "application-default", "print-access-token"],
                "gcloud auth application-default login"),
    Cloud.AZURE: (["az", "account", "show"], "az login"),
}


def credentials(cloud: Cloud, env: Mapping[str, str], run: Runner) -> Result:
    name = f"{cloud.title} credentials"
    for names in _CREDENTIAL_ENV[cloud]:
        if all(env.get(n) for n in names):
            return Result(name, Status.OK, f"from {', '.join(names)}")
    command, login = _LOGIN_COMMAND[cloud]
    proc = run(command)
    if proc is not None and proc.returncode == 0:
        return Result(name, Status.OK, f"`{' '.join(command)}` succeeds")
    found = "CLI not installed" if proc is None else f"not logged in: {_first_line(proc)}"
    oidc = " + ".join(_CREDENTIAL_ENV[cloud][0])
    return Result(name, Status.FAIL, f"no credential variables, and {command[0]} {found}",
                  f"{login}, or in CI the OIDC login that sets {oidc} (README: deploying)")


def stack(path: Path) -> tuple[list[Result], Cloud | None]:
    """The stack is valid, clashes with no other stack file, and has its source URL secret."""
    try:
        config = load_stack_file(path)
        check_against_all([config])
    except USER_ERRORS as error:
        return [Result("stack config", Status.FAIL, str(error).splitlines()[0],
                       f"tricloud validate --stack {stack_name(path)} lists every problem")], None
    results = [Result("stack config", Status.OK,
                      f"{config.name}: {config.platform.cloud.value} {config.platform.region}")]
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    secret = (document.get("config") or {}).get(SOURCE_URL_KEY)
    if isinstance(secret, dict) and "secure" in secret:
        results.append(Result("source URL secret", Status.OK, f"{SOURCE_URL_KEY} is encrypted"))
    else:
        results.append(Result(
            "source URL secret", Status.FAIL, f"{SOURCE_URL_KEY} is not set in {path.name}",
            f"pulumi config set --secret {SOURCE_URL_KEY} 'postgresql://...' "
            f"--stack {config.name}"))
    return results, config.platform.cloud


def state_backend(env: Mapping[str, str], run: Runner) -> Result:
    backend = env.get("PULUMI_BACKEND_URL", "")
    if backend.startswith("file://"):
        folder = Path(backend.removeprefix("file://").split("?", 1)[0]).expanduser()
        if folder.is_dir() and os.access(folder, os.W_OK):
            return Result("state backend", Status.OK, f"{backend} is a writable folder")
        return Result("state backend", Status.FAIL, f"{backend} is not a writable folder",
                      f"mkdir -p {folder}, or point PULUMI_BACKEND_URL elsewhere")
    proc = run(["pulumi", "whoami", "--verbose"])
    if proc is None:
        return Result("state backend", Status.FAIL,
                      f"{backend or 'the default backend'}: not checked without the Pulumi CLI",
                      "install the Pulumi CLI, then pulumi login")
    if proc.returncode != 0:
        return Result("state backend", Status.FAIL, f"not logged in: {_first_line(proc)}",
                      "pulumi login (with PULUMI_BACKEND_URL for a bucket backend)")
    return Result("state backend", Status.OK, proc.stdout.strip().splitlines()[0])


def diagnose(path: Path, env: Mapping[str, str], run: Runner = run_command) -> list[Result]:
    """Every check for deploying the stack file at ``path``, in the order a deploy needs them."""
    stack_results, cloud = stack(path)
    results = [pulumi_cli(run), *docker(run), *stack_results]
    if cloud is not None:
        results.append(credentials(cloud, env, run))
    results.append(state_backend(env, run))
    return results
