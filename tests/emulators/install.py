"""Install what tests need from outside PyPI, idempotently: Azurite (and Node.js + npm from
Debian's packages when missing), and Debian's Chromium for the browser test of the report.

Run by the first abfs:// test, or by hand: ``python -m tests.emulators.install``. The Python
emulators (moto, gcp-storage-emulator) come with the ``dev`` extra; Azurite only exists on npm,
so it goes into a git-ignored folder of this checkout, pinned, and is reused afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# 3.35.0 is the newest release that still runs on Debian 12's Node.js 18 (3.36+ need Node 21+).
AZURITE_VERSION = "3.35.0"
ROOT = Path(__file__).resolve().parents[2]
AZURITE_DIR = ROOT / ".cache" / "azurite"
APT_TIMEOUT_SECONDS = 900
NPM_TIMEOUT_SECONDS = 600


class InstallError(RuntimeError):
    """An emulator could not be installed; the message says what to do by hand."""


def azurite_blob() -> Path:
    return AZURITE_DIR / "node_modules" / ".bin" / "azurite-blob"


def _installed_version() -> str | None:
    package = AZURITE_DIR / "node_modules" / "azurite" / "package.json"
    if not package.is_file():
        return None
    return str(json.loads(package.read_text(encoding="utf-8")).get("version"))


def _run(command: list[str], timeout: int, what: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        raise InstallError(f"{what}: `{' '.join(command)}` took over {timeout} s") from None
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        raise InstallError(f"{what}: `{' '.join(command)}` exited {proc.returncode}: {tail[0]}")


def ensure_debian_packages(packages: list[str], commands: list[str], what: str) -> None:
    """Install Debian ``packages`` when any of ``commands`` is missing from PATH."""
    if all(shutil.which(c) for c in commands):
        return
    if os.geteuid() == 0:
        prefix: list[str] = []
    elif shutil.which("sudo"):
        prefix = ["sudo", "-n"]
    else:
        raise InstallError(f"{what}: this user cannot install Debian packages; run "
                           f"`apt-get install -y {' '.join(packages)}` as root")
    _run([*prefix, "apt-get", "update"], APT_TIMEOUT_SECONDS, what)
    _run([*prefix, "apt-get", "install", "-y", "--no-install-recommends", *packages],
         APT_TIMEOUT_SECONDS, what)
    missing = [c for c in commands if not shutil.which(c)]
    if missing:
        raise InstallError(f"{what}: apt-get succeeded but {', '.join(missing)} is still not "
                           "on PATH")


def ensure_node() -> None:
    """Debian's nodejs and npm, for Azurite."""
    ensure_debian_packages(["nodejs", "npm"], ["node", "npm"],
                           "installing Node.js and npm from Debian's packages")


def ensure_chromium() -> Path:
    """Debian's Chromium, for the tests that open the HTML report in a real browser."""
    ensure_debian_packages(["chromium"], ["chromium"],
                           "installing Chromium from Debian's packages")
    return Path(str(shutil.which("chromium")))


def ensure_azurite() -> Path:
    """The azurite-blob executable of the pinned version, installing it if needed."""
    if _installed_version() == AZURITE_VERSION and azurite_blob().exists():
        return azurite_blob()
    ensure_node()
    AZURITE_DIR.mkdir(parents=True, exist_ok=True)
    _run(["npm", "install", "--prefix", str(AZURITE_DIR), "--no-audit", "--no-fund",
          "--loglevel=error", f"azurite@{AZURITE_VERSION}"], NPM_TIMEOUT_SECONDS,
         f"installing azurite@{AZURITE_VERSION} into {AZURITE_DIR}")
    if _installed_version() != AZURITE_VERSION or not azurite_blob().exists():
        raise InstallError(f"npm installed no azurite@{AZURITE_VERSION} under {AZURITE_DIR}")
    return azurite_blob()


def main() -> int:
    try:
        path = ensure_azurite()
    except InstallError as exc:
        print(f"install: error: {exc}", file=sys.stderr)
        return 1
    print(f"azurite {AZURITE_VERSION}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
