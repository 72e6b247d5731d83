"""Which field of a five-field cron expression is wrong, in words a person can act on.

croniter says only valid or not; a stack author with ``0 25 * * *`` needs to hear that the hour
25 is out of 0-23. Pure: the ranges and names of the standard five fields, checked field by
field; croniter still has the last word on what remains (for example an impossible step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_TERM = re.compile(r"^(\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:/([0-9]+))?$")


@dataclass(frozen=True)
class CronField:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    first_name: int = 0  # the number the first name stands for

    def value(self, text: str) -> int | None:
        if text.isdigit():
            return int(text)
        if text in self.names:
            return self.names.index(text) + self.first_name
        return None


FIELDS = (CronField("minute", 0, 59), CronField("hour", 0, 23),
          CronField("day of month", 1, 31), CronField("month", 1, 12, _MONTHS, 1),
          CronField("day of week", 0, 7, _DAYS, 0))


def _term_problem(field: CronField, term: str) -> str | None:
    match = _TERM.match(term)
    if match is None:
        return f"{field.name} {term!r} is not a number, range, list or step"
    base, step = match.groups()
    if step is not None and int(step) == 0:
        return f"{field.name} step in {term!r} must be at least 1"
    if base == "*":
        return None
    bounds = base.split("-")
    values = [field.value(b) for b in bounds]
    for text, number in zip(bounds, values, strict=True):
        if number is None:
            names = f" or {', '.join(field.names)}" if field.names else ""
            return f"{field.name} {text!r} is not a number{names}"
        if not field.low <= number <= field.high:
            return f"{field.name} {number} is out of range {field.low}-{field.high}"
    if len(values) == 2 and values[0] > values[1]:  # type: ignore[operator]
        return f"{field.name} range {base!r} runs backwards"
    return None


def cron_problem(expression: str) -> str | None:
    """Why ``expression`` is not a valid five-field cron expression, or None if it is."""
    parts = expression.split()
    if len(parts) != len(FIELDS):
        return (f"has {len(parts)} field{'s' if len(parts) != 1 else ''}; a cron expression has "
                "five: minute hour day-of-month month day-of-week")
    for field, part in zip(FIELDS, parts, strict=True):
        for term in part.lower().split(","):
            problem = _term_problem(field, term)
            if problem:
                return problem
    from croniter import croniter  # imported lazily: only config validation needs it

    if not croniter.is_valid(expression):
        return "not a valid cron expression (minute hour day-of-month month day-of-week)"
    return None
