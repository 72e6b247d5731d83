"""Pure AWS planning rules: the subnet layout and the cron dialect. Property-tested, no SDK.

They sit apart from the components so tests can exercise every input without a synthesis.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network

from config.addressing import SubnetRequest, allocate, zone_subnets
from config.enums import NatMode

# Zones are sized for the most any stack may use, so adding one never renumbers the others.
ZONE_SLOTS = 4


@dataclass(frozen=True)
class SubnetPlan:
    """Private subnets (one per zone) and the public ones NAT needs (possibly none)."""

    private: list[IPv4Network]
    public: list[IPv4Network]


def public_zone_count(nat: NatMode, zones: int) -> int:
    """NAT gateways live in public subnets: none for no NAT, one for single, one per zone."""
    return {NatMode.NONE: 0, NatMode.SINGLE: 1, NatMode.PER_ZONE: zones}[nat]


def subnet_plan(cidr: IPv4Network, zones: int, nat: NatMode) -> SubnetPlan:
    """Half the range for private subnets, a quarter reserved for public ones, a quarter spare.

    The public tier is reserved even without NAT so switching NAT on later moves nothing.
    """
    tiers = allocate(cidr, [SubnetRequest("private", cidr.prefixlen + 1),
                            SubnetRequest("public", cidr.prefixlen + 2)])
    public = public_zone_count(nat, zones)
    return SubnetPlan(
        private=zone_subnets(tiers["private"], zones, ZONE_SLOTS),
        public=zone_subnets(tiers["public"], public, ZONE_SLOTS) if public else [],
    )


class UnsupportedCronError(ValueError):
    """A five-field cron that EventBridge Scheduler cannot express."""


def _shift_weekday(field: str) -> str:
    """cron weekdays are 0-7 (Sunday 0 or 7); EventBridge's are 1-7 (Sunday 1)."""
    def one(value: str) -> str:
        return value if not value.isdigit() else str(int(value) % 7 + 1)

    parts = []
    for part in field.split(","):
        base, slash, step = part.partition("/")
        if "-" in base:
            low, high = base.split("-", 1)
            if high == "7":  # Sunday as the end of a range: 0-7 and 1-7 mean every day
                base = "*" if low in ("0", "1") else f"{one(low)}-7"
            else:
                base = f"{one(low)}-{one(high)}"
        else:
            base = one(base)
        parts.append(f"{base}{slash}{step}")
    return ",".join(parts)


def eventbridge_cron(expression: str) -> str:
    """Five-field cron (UTC) -> ``cron(m h dom mon dow year)`` for EventBridge Scheduler.

    EventBridge needs ``?`` in one of day-of-month and day-of-week and cannot combine them,
    where classic cron ORs the two; that case is refused rather than silently changed.
    """
    fields = expression.split()
    if len(fields) != 5:
        raise UnsupportedCronError(f"{expression!r}: expected five fields")
    minute, hour, dom, month, dow = fields
    if dow == "*":
        dow = "?"
    elif dom == "*":
        dom, dow = "?", _shift_weekday(dow)
    else:
        raise UnsupportedCronError(
            f"{expression!r}: EventBridge cannot run on a day of the month *or* a weekday; "
            "set one of them to *")
    return f"cron({minute} {hour} {dom} {month} {dow} *)"
