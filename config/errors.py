"""Config errors a person can act on: every problem of a stack in one message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One bad value: where it is, what was given and what is allowed (or why not)."""

    key: str
    value: Any
    message: str

    def render(self) -> str:
        shown = repr(self.value)
        return f"  - {self.key} = {shown}: {self.message}"


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


MISSING: Any = _Missing()


class ConfigError(Exception):
    """All problems of one stack's config; ``str()`` is the message shown to the user."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        lines = [f"{source}: {count} in the stack config"]
        lines += [p.render() for p in problems]
        super().__init__("\n".join(lines))


class StackSetError(Exception):
    """Problems across several stack files (each a full ConfigError message, or a clash)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


# What the command-line tools turn into exit code 2 with the message and no traceback.
USER_ERRORS: tuple[type[Exception], ...] = (ConfigError, StackSetError)
