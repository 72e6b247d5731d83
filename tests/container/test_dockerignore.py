"""The `.dockerignore` reader against Docker's documented matching, on a made-up work tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.container import dockerignore

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("patterns", "path", "excluded"), [
    ("*", "a/b/c.py", True),              # a match on a parent folder excludes what is under it
    ("*\n!a", "a/b/c.py", False),         # the last matching rule wins
    ("*.md", "docs/x.md", False),         # `*` stays inside one path segment
    ("**/*.md", "docs/x.md", True),       # `**` spans segments...
    ("**/*.md", "x.md", True),            # ...including none
    ("a/**/__pycache__", "a/__pycache__/m.pyc", True),
    ("a/**/__pycache__", "a/b/c/__pycache__/m.pyc", True),
    ("/a/", "a/x", True),                 # leading and trailing slashes are cleaned away
    ("a?c", "abc", True),
    ("a?c", "a/c", False),
    ("[ab].txt", "b.txt", True),
    ("# comment\n\n!x", "x", False),
])
def test_matching_follows_docker(patterns, path, excluded):
    assert dockerignore.is_excluded(dockerignore.parse(patterns), path) is excluded


def test_project_dockerignore_sends_only_the_package(tmp_path):
    shutil.copy(ROOT / ".dockerignore", tmp_path / ".dockerignore")
    for rel in ("pyproject.toml", "README.md", "pipeline/cli.py", "pipeline/Dockerfile",
                "pipeline/requirements.lock", "pipeline/warehouse/migrations/0001.sql",
                "pipeline/__pycache__/cli.cpython-311.pyc",
                "pipeline/warehouse/__pycache__/load.cpython-311.pyc",
                ".venv/bin/python", ".git/HEAD", ".tricloud/raw/x.parquet", "tests/test_x.py",
                "components/contract.py", "stacks/Pulumi.dev-aws.yaml", "Pulumi.yaml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert dockerignore.context_files(tmp_path) == [
        "README.md", "pipeline/Dockerfile", "pipeline/cli.py", "pipeline/requirements.lock",
        "pipeline/warehouse/migrations/0001.sql", "pyproject.toml"]
