"""Every stack in stacks/ passes every guardrail."""

from __future__ import annotations

import pytest

from tests.guardrails.conftest import ALL_STACKS
from tricloud.guardrails import check_plan


@pytest.mark.parametrize("stack", ALL_STACKS)
def test_stack_passes_every_guardrail(synth, stack):
    assert check_plan(synth(stack)) == []
