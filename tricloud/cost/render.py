"""Cost reports for people: ``tricloud cost`` as text, and the cost lines of a plan diff."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from tricloud.cost.estimate import StackCost, StackDelta, money

NOTE = ("Estimates are list prices x the stated quantities, from tricloud/cost/prices.py (each row "
        "with its source and the date it was read); lines the table cannot price are listed as "
        "\"not estimated\" and are not in the totals.")


def _quantity(line_quantity: object) -> str:
    return f"{float(line_quantity):,.2f}".rstrip("0").rstrip(".")  # type: ignore[arg-type]


def render_costs(costs: Iterable[StackCost]) -> str:
    """Per stack: the total, each component, each billable line, then what is not estimated."""
    out: list[str] = []
    for cost in costs:
        unpriced = len(cost.not_estimated)
        total = (f"{money(cost.total)}/month estimated" if unpriced < len(cost.lines)
                 else "nothing estimated (the price table has no row for its lines)")
        out.append(f"== {cost.stack} ({cost.cloud} {cost.region}): {total}, {unpriced} "
                   "line(s) not estimated")
        for component, amount in cost.by_component().items():
            out.append(f"  {component:<32} {money(amount):>12}")
        if unpriced < len(cost.lines):
            out.append("  billable resources:")
        for line in cost.lines:
            if line.monthly is None or line.price is None:
                continue
            u = line.usage
            out.append(f"    {money(line.monthly):>11}  {line.type} {line.name}: {u.kind}"
                       f"{' ' + u.key if u.key else ''} {_quantity(u.quantity)} {u.unit} x "
                       f"${line.price.usd}/{line.price.unit} ({u.assumption}; price read "
                       f"{line.price.read} from {line.price.source})")
        if cost.not_estimated:
            out.append("  not estimated:")
            out += [f"    {line.type} {line.name}: {line.usage.kind}"
                    f"{' ' + line.usage.key if line.usage.key else ''}: {line.reason}"
                    for line in cost.not_estimated]
        out.append("")
    out.append(NOTE)
    return "\n".join(out) + "\n"


def delta_headline(deltas: Mapping[str, StackDelta]) -> str:
    """One line: the monthly change over all stacks, and how much could not be estimated."""
    total = sum((d.delta for d in deltas.values()), Decimal(0))
    changed = [f"{name} {money(d.delta, signed=True)}" for name, d in deltas.items() if d.delta]
    unpriced = sum(1 for d in deltas.values() for r in d.resources if not r.complete)
    text = f"estimated monthly cost change: {money(total, signed=True)}"
    if changed:
        text += f" ({', '.join(changed)})"
    if unpriced:
        text += f"; {unpriced} changed resource(s) partly not estimated"
    return text


def delta_lines(delta: StackDelta) -> list[str]:
    """A stack's estimate before and after, and each resource whose estimate moved."""
    if not delta.estimated:
        return [f"cost: not estimated ({delta.not_estimated} billable line(s), none priced)"]
    lines = [f"cost: {money(delta.before)} → {money(delta.after)}/month "
             f"({money(delta.delta, signed=True)}); {delta.not_estimated} line(s) not estimated"]
    for r in delta.resources:
        partly = "" if r.complete else " (partly not estimated)"
        lines.append(f"  {money(r.delta, signed=True):>10}  {r.type} {r.name}: "
                     f"{money(r.before)} → {money(r.after)}{partly}")
    return lines
