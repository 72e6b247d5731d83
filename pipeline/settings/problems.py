"""How bad settings are reported: every problem at once, each naming the variable, the value
(never a secret's), what is allowed and the fix.

A job that fails on its first bad setting, is fixed, redeployed and then fails on the next one
costs a deploy per mistake; so the parser collects every problem in one pass and raises them
together.
"""

from __future__ import annotations

from collections.abc import Iterable


class SettingsError(ValueError):
    """One or more settings are missing or malformed; each problem is one sentence."""

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems: tuple[str, ...] = problems

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0]
        listed = "\n".join(f"  - {p}" for p in self.problems)
        return f"{len(self.problems)} settings problems, nothing was run:\n{listed}"

    @classmethod
    def raise_if_any(cls, problems: Iterable[str]) -> None:
        found = tuple(problems)
        if found:
            raise cls(*found)
