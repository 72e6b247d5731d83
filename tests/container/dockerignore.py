"""The Docker build context as `.dockerignore` shapes it, so tests can build from the same inputs.

Docker sends the builder only what `.dockerignore` lets through; a test that built the wheel
from the whole work tree could pass while the image misses a file. The rules follow Docker's
pattern matcher (moby/patternmatcher): patterns are cleaned paths, `*` and `?` stay inside one
path segment, `**` spans any number of segments, a pattern also matches everything under a
directory it matches, `!` re-includes, and the last matching pattern wins.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

_WILDCARDS = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Rule:
    """One line of `.dockerignore`: its cleaned pattern, compiled, and whether it re-includes."""

    pattern: str
    regex: re.Pattern[str]
    include: bool

    def matches(self, path: str) -> bool:
        """True if the path or one of its parent folders matches, as Docker decides it."""
        parts = path.split("/")
        return any(self.regex.fullmatch("/".join(parts[:i])) for i in range(len(parts), 0, -1))

    def may_match_inside(self, folder: str) -> bool:
        """Whether some path below `folder` could match, so a walk must not prune it."""
        literal = _WILDCARDS.split(self.pattern, maxsplit=1)[0]
        if literal == self.pattern:
            return self.pattern.startswith(folder + "/")
        return literal.startswith(folder + "/") or (folder + "/").startswith(literal)


def _compile(pattern: str) -> re.Pattern[str]:
    out, i = "", 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif char == "*":
            out, i = out + "[^/]*", i + 1
        elif char == "?":
            out, i = out + "[^/]", i + 1
        elif char == "[":
            end = pattern.index("]", i)
            out, i = out + "[" + pattern[i + 1:end].replace("!", "^", 1) + "]", end + 1
        elif char == "\\" and i + 1 < len(pattern):
            out, i = out + re.escape(pattern[i + 1]), i + 2
        else:
            out, i = out + re.escape(char), i + 1
    return re.compile(out)


def parse(text: str) -> list[Rule]:
    """The rules of a `.dockerignore` text, in order."""
    rules = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        pattern = posixpath.normpath(line.removeprefix("!").strip()).lstrip("/")
        rules.append(Rule(pattern, _compile(pattern), include))
    return rules


def is_excluded(rules: list[Rule], path: str) -> bool:
    """The last rule matching the path decides; no rule means the path is sent."""
    excluded = False
    for rule in rules:
        if rule.matches(path):
            excluded = not rule.include
    return excluded


def context_files(root: Path) -> list[str]:
    """Every file Docker would send from `root`, as sorted relative POSIX paths."""
    rules = parse((root / ".dockerignore").read_text())
    reincluding = [r for r in rules if r.include]
    found = []
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        dirs[:] = [d for d in dirs if not is_excluded(rules, prefix + d)
                   or any(r.may_match_inside(prefix + d) for r in reincluding)]
        found += [prefix + f for f in files if not is_excluded(rules, prefix + f)]
    return sorted(found)


def copy_context(root: Path, dest: Path) -> list[str]:
    """Copy the build context of `root` into `dest` (a new folder); returns what was copied."""
    files = context_files(root)
    for rel in files:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)
    return files
