"""A stack's estimated monthly cost, and how it moves between two plans.

A line is estimated only when the price table has its kind, class and region and its quantity
is known; every other billable line is kept, with the reason, under "not estimated". Totals are
sums of estimated lines only, and every report shows the not-estimated lines next to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tricloud.cost.billable import Usage, usage_of
from tricloud.cost.prices import Price, find
from tricloud.plan import PlannedResource, StackPlan

CENT = Decimal("0.01")
# Each line is kept to a millionth of a dollar, so sums and differences of lines are exact.
PRECISION = Decimal("0.000001")


@dataclass(frozen=True)
class CostLine:
    """One billable kind of one resource, with its price if the table has one."""

    urn: str
    type: str
    name: str
    component: str
    usage: Usage
    price: Price | None
    reason: str = ""  # why it is not estimated

    @property
    def monthly(self) -> Decimal | None:
        if self.price is None or self.usage.quantity is None:
            return None
        return (self.usage.quantity * self.price.usd).quantize(PRECISION)


@dataclass(frozen=True)
class StackCost:
    stack: str
    cloud: str
    region: str
    lines: tuple[CostLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.monthly for line in self.lines if line.monthly is not None), Decimal(0))

    @property
    def not_estimated(self) -> tuple[CostLine, ...]:
        return tuple(line for line in self.lines if line.monthly is None)

    def by_component(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for line in self.lines:
            if line.monthly is not None:
                out[line.component] = out.get(line.component, Decimal(0)) + line.monthly
        return dict(sorted(out.items()))

    def of_resource(self, urn: str) -> tuple[Decimal, bool]:
        """Its estimated monthly cost, and whether all of its lines were estimated."""
        lines = [line for line in self.lines if line.urn == urn]
        known = [line.monthly for line in lines if line.monthly is not None]
        return sum(known, Decimal(0)), len(known) == len(lines)


def _component(resource: PlannedResource) -> str:
    """The component a resource belongs to, as ``Type name`` (``Database warehouse``)."""
    if not resource.parent:
        return "(stack)"
    if resource.parent.count("::") < 2:
        return resource.parent
    type_, name = resource.parent.rsplit("::", 2)[-2:]
    return f"{type_.rsplit('$', 1)[-1].rsplit(':', 1)[-1]} {name}"


def estimate(plan: StackPlan) -> StackCost:
    """Every billable line of one stack, priced from the table where it can be."""
    by_urn = {r.urn: r for r in plan.resources}
    lines: list[CostLine] = []
    for urn, usages in sorted(usage_of(plan).items()):
        r = by_urn[urn]
        for usage in usages:
            price = find(plan.cloud, usage.kind, usage.key, plan.region)
            reason = ""
            if usage.quantity is None:
                reason = usage.assumption
            elif price is None:
                what = f"{usage.kind} {usage.key}".strip()
                reason = f"no price for {what} in {plan.region} in tricloud/cost/prices.py"
            lines.append(CostLine(urn, r.type, r.name, _component(r), usage, price, reason))
    return StackCost(plan.stack, plan.cloud, plan.region, tuple(lines))


@dataclass(frozen=True)
class ResourceDelta:
    urn: str
    type: str
    name: str
    before: Decimal
    after: Decimal
    complete: bool  # every line of both sides was estimated

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class StackDelta:
    stack: str
    before: Decimal
    after: Decimal
    resources: tuple[ResourceDelta, ...]
    not_estimated: int  # billable lines of HEAD without an estimate
    estimated: int = 0  # billable lines of either side with an estimate

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


def stack_delta(base: StackPlan | None, head: StackPlan | None) -> StackDelta:
    """The monthly estimate of each side and of each resource whose estimate or lines moved."""
    old = estimate(base) if base else None
    new = estimate(head) if head else None
    urns = sorted({line.urn for cost in (old, new) if cost for line in cost.lines})
    labels = {line.urn: (line.type, line.name)
              for cost in (old, new) if cost for line in cost.lines}
    moved: list[ResourceDelta] = []
    for urn in urns:
        before, done_before = old.of_resource(urn) if old else (Decimal(0), True)
        after, done_after = new.of_resource(urn) if new else (Decimal(0), True)
        lines_before = {(x.usage.kind, x.usage.key, x.usage.quantity)
                        for x in (old.lines if old else ()) if x.urn == urn}
        lines_after = {(x.usage.kind, x.usage.key, x.usage.quantity)
                       for x in (new.lines if new else ()) if x.urn == urn}
        if before != after or lines_before != lines_after:
            moved.append(ResourceDelta(urn, *labels[urn], before, after,
                                       done_before and done_after))
    return StackDelta(stack=(head or base).stack,  # type: ignore[union-attr]
                      before=old.total if old else Decimal(0),
                      after=new.total if new else Decimal(0),
                      resources=tuple(moved),
                      not_estimated=len(new.not_estimated) if new else 0,
                      estimated=sum(1 for cost in (old, new) if cost for line in cost.lines
                                    if line.monthly is not None))


def plan_deltas(base: Iterable[StackPlan], head: Iterable[StackPlan]) -> dict[str, StackDelta]:
    old = {p.stack: p for p in base}
    new = {p.stack: p for p in head}
    return {name: stack_delta(old.get(name), new.get(name)) for name in sorted(old | new)}


def money(value: Decimal, *, signed: bool = False) -> str:
    """``$1,234.56`` (``+$1.00``/``-$1.00`` when signed), rounded to the cent."""
    rounded = value.quantize(CENT)
    sign = ("+" if rounded > 0 else "-" if rounded < 0 else "±") if signed else (
        "-" if rounded < 0 else "")
    return f"{sign}${abs(rounded):,.2f}"
