"""A Dockerfile read into stages of instructions, enough to check the image's shape by rule.

hadolint checks generic good practice; what this project promises about its image (no build
tools in the final stage, the platform's uid, the lock with hashes) needs the instructions
themselves, with line continuations joined and comments dropped as Docker does.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str

    def exec_form(self) -> list[str]:
        """The arguments of ENTRYPOINT/CMD/RUN: the JSON array form, or the shell words."""
        if self.args.startswith("["):
            return list(json.loads(self.args))
        return shlex.split(self.args)


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        found = self.all(keyword)
        return found[-1] if found else None

    def env(self) -> dict[str, str]:
        """The `ENV key=value ...` pairs this stage sets (the only ENV form this project uses)."""
        pairs: dict[str, str] = {}
        for instruction in self.all("ENV"):
            for word in shlex.split(instruction.args):
                key, _, value = word.partition("=")
                pairs[key] = value
        return pairs


def logical_lines(text: str) -> list[str]:
    """Physical lines joined at a trailing backslash; comment lines inside a RUN are skipped."""
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not current):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append((current + stripped).strip())
        current = ""
    if current.strip():
        lines.append(current.strip())
    return lines


def parse(path: Path) -> list[Stage]:
    """The stages of a Dockerfile, in order."""
    stages: list[Stage] = []
    for line in logical_lines(path.read_text()):
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            match = re.fullmatch(r"(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", args, re.I)
            if match is None:
                raise ValueError(f"{path}: cannot read FROM {args!r}")
            stages.append(Stage(base=match[1], name=match[2]))
        elif stages:
            stages[-1].instructions.append(Instruction(keyword, args))
        elif keyword != "ARG":
            raise ValueError(f"{path}: {keyword} before the first FROM")
    return stages
