"""Infra tests run the real program under Pulumi's mocks; each stack is synthesised once."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest

from config.stacks import STACKS_DIR, stack_files


@functools.cache
def _synth(name: str):  # -> tricloud.plan.StackPlan
    from tricloud.synth import synthesize

    return synthesize(STACKS_DIR / f"Pulumi.{name}.yaml")


ALL_STACKS = [p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in stack_files()]


def stacks_of(cloud: str) -> list[str]:
    return [s for s in ALL_STACKS if f"-{cloud}" in s]


@pytest.fixture(scope="session")
def synth() -> Callable[[str], object]:
    """``synth("dev-aws")`` -> the StackPlan of that stack file (cached per session)."""
    return _synth
