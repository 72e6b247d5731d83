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
    errors += _clashes(loaded, loaded, directory)
    if errors:
        raise StackSetError(errors)
    return loaded


def check_against_all(selected: list[StackConfig], directory: Path = STACKS_DIR) -> None:
    """Refuse ``selected`` stacks whose address ranges overlap any stack file in ``directory``
    (or each other): planning one stack must not hide a clash that ``--all`` would report.
    Other stack files that do not load are left to ``validate --all``; they cannot clash."""
    chosen = {s.name for s in selected}
    others: list[StackConfig] = []
    for path in stack_files(directory):
        if stack_name(path) in chosen:  # already loaded by the caller
            continue
        try:
            others.append(load_stack_file(path))
        except ConfigError:
            continue
    errors = _clashes(selected, others + selected, directory)
    if errors:
        raise StackSetError(errors)


def _clashes(selected: list[StackConfig], pool: list[StackConfig], directory: Path) -> list[str]:
    """One message per pair of overlapping ranges with at least one side in ``selected``."""
    ranges = {s.name: s.platform.network.cidr for s in pool}
    names = {s.name for s in selected}
    return [f"{directory}/Pulumi.{a}.yaml and Pulumi.{b}.yaml: network.cidr {ranges[a]} "
            f"overlaps {ranges[b]}; give each stack its own range so they can be peered later"
            for a, b in overlapping_pairs(ranges) if a in names or b in names]
