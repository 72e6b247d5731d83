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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking ``plan`` runs once per stack of its module's ``CLOUD`` (every stack when
    the module names none), so each assertion holds on dev and prod alike."""
    if "plan" in metafunc.fixturenames:
        cloud = getattr(metafunc.module, "CLOUD", None)
        metafunc.parametrize("plan", stacks_of(cloud) if cloud else ALL_STACKS, indirect=True)


@pytest.fixture
def plan(request: pytest.FixtureRequest, synth: Callable[[str], object]) -> object:
    """The StackPlan of the stack this test instance runs on (see ``pytest_generate_tests``)."""
    return synth(request.param)
