"""Docs and project files that must match the code."""

from __future__ import annotations

from pathlib import Path

import yaml

from config.loader import KNOWN_KEYS, NAMESPACE, SECRET_KEYS
from tricloud.reference import GENERATED, HOMES, blocks_in, generated_block, home_files

ROOT = Path(__file__).resolve().parents[1]


def test_every_generated_block_has_one_home_and_is_current():
    assert set(HOMES) == set(GENERATED)
    for block, home in HOMES.items():
        text = (ROOT / home).read_text()
        assert generated_block(block) in text, (
            f"{home}: block {block} is stale: run tricloud reference --update")


def test_no_generated_block_is_kept_outside_its_home():
    homes = set(home_files(ROOT))
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        held = blocks_in(path.read_text())
        assert all(ROOT / HOMES[b] == path for b in held), f"{path.name} holds {held}"
        assert held or path not in homes


def test_readme_quickstart_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_command = ".venv/bin/pip install -e '.[dev]' && .venv/bin/pytest"
    assert test_command in readme
    assert test_command in ci
    assert ".venv/bin/pip install -e '.[local]' && .venv/bin/pipeline demo" in readme


def test_readme_stays_short():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 250


def test_pulumi_project_declares_the_config_the_loader_reads():
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    assert project["name"] == NAMESPACE
    assert project["stackConfigDir"] == "stacks"
    assert project["runtime"]["name"] == "python"
    assert project["runtime"]["options"]["toolchain"] in {"pip", "uv", "poetry"}
    declared = {f"{NAMESPACE}:{k}" for k in project["config"]}
    assert declared == set(KNOWN_KEYS)
    for key in SECRET_KEYS:
        assert project["config"][key.split(":", 1)[1]]["secret"] is True
    assert all(v.get("description") for v in project["config"].values())
