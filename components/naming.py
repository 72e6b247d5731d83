"""Physical names under a length and character rule, as pure functions.

Each cloud's ``names.py`` holds the rules of its own resource kinds; the joining, shortening and
hashing below is the one rule they all apply.

Globally unique names (buckets, storage accounts, vaults, registries) get a short, stable hash
of the stack so two stacks never collide and the same stack always gets the same name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NameRule:
    """What a kind of resource accepts: maximum length, separator, and the allowed characters."""

    max_length: int
    separator: str = "-"
    lowercase: bool = True
    allowed: str = "a-z0-9-"


def stack_hash(stack: str, length: int = 6) -> str:
    return hashlib.sha256(stack.encode()).hexdigest()[:length]


def physical_name(rule: NameRule, *parts: str, unique_for: str | None = None) -> str:
    """Join ``parts`` under ``rule``; with ``unique_for`` append a hash of it that always fits.

    Parts are shortened from the left-most, least specific one, so the purpose (the last part)
    stays readable.
    """
    suffix = stack_hash(unique_for) if unique_for else ""
    cleaned = [re.sub(f"[^{rule.allowed}]", "", p.lower() if rule.lowercase else p)
               for p in parts]
    cleaned = [p for p in cleaned if p]
    pieces = [*cleaned, suffix] if suffix else cleaned
    name = rule.separator.join(pieces)
    overflow = len(name) - rule.max_length
    i = 0
    while overflow > 0 and i < len(cleaned):
        cut = min(overflow, max(len(cleaned[i]) - 1, 0))
        cleaned[i] = cleaned[i][: len(cleaned[i]) - cut]
        overflow -= cut
        i += 1
    pieces = [*cleaned, suffix] if suffix else cleaned
    name = rule.separator.join(pieces)[: rule.max_length]
    return name.strip(rule.separator) if rule.separator else name
