"""The ``tricloud`` command as a user runs it: exit codes and messages, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tricloud.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_validate_all_stacks_succeeds():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "stack(s) valid" in result.stdout


def test_three_bad_values_give_one_message_and_exit_code_2(tmp_path: Path):
    bad = tmp_path / "Pulumi.dev-aws.yaml"
    bad.write_text(
        "config:\n"
        "  tricloud:platform:\n"
        "    cloud: aws\n"
        "    region: eu-west-9\n"
        "    environment: dev\n"
        "    network: {cidr: 10.90.0.0/16}\n"
        "    database: {size: huge}\n"
        "    pipeline: {schedule: '61 * * * *'}\n")
    result = run("validate", "--stack", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("error:") == 1
    assert f"{bad}: 3 problems" in result.stderr
    for fragment in ("region = 'eu-west-9'", "database.size = 'huge'",
                     "pipeline.schedule = '61 * * * *'", "allowed: small, medium, large"):
        assert fragment in result.stderr


def test_unknown_stack_lists_the_known_ones():
    result = run("plan", "--stack", "dev-mars")
    assert result.returncode == 2
    assert "no such stack file; known:" in result.stderr
    assert "dev-aws" in result.stderr


def test_plan_prints_the_tree_with_a_progress_line():
    result = run("plan", "--stack", "dev-aws")
    assert result.returncode == 0, result.stderr
    assert "[1/1] dev-aws:" in result.stderr
    assert result.stdout.splitlines()[1].startswith("└─ tricloud:aws:Platform")
