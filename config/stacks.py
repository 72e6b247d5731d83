"""All stack files at once: discovery and the checks that span stacks (address plans)."""

from __future__ import annotations

from pathlib import Path

from config.addressing import overlapping_pairs
from config.errors import ConfigError, Problem, StackSetError
from config.loader import StackConfig, load_stack_file, stack_name

STACKS_DIR = Path(__file__).resolve().parent.parent / "stacks"


def stack_files(directory: Path = STACKS_DIR) -> list[Path]:
    return sorted(directory.glob("Pulumi.*.yaml"))


def find_stack_file(name: str, directory: Path = STACKS_DIR) -> Path:
    path = directory / f"Pulumi.{name}.yaml"
    if not path.exists():
        known = ", ".join(stack_name(p) for p in stack_files(directory))
        problem = Problem("stack", name, f"no such stack file; known: {known}")
        raise ConfigError(str(path), [problem])
    return path


def load_all(directory: Path = STACKS_DIR) -> list[StackConfig]:
    """Every stack, validated, plus the cross-stack address check; one error lists everything."""
    loaded: list[StackConfig] = []
    errors: list[str] = []
    for path in stack_files(directory):
        try:
            loaded.append(load_stack_file(path))
        except ConfigError as exc:
            errors.append(str(exc))
    ranges = {s.name: s.platform.network.cidr for s in loaded}
    for a, b in overlapping_pairs(ranges):
        cidr_a, cidr_b = ranges[a], ranges[b]
        errors.append(
            f"{directory}/Pulumi.{a}.yaml and Pulumi.{b}.yaml: network.cidr {cidr_a} overlaps "
            f"{cidr_b}; give each stack its own range so they can be peered later")
    if errors:
        raise StackSetError(errors)
    return loaded
