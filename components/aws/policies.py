"""IAM policy documents built as data, not hand-written JSON strings.

Statements take ``pulumi.Input`` ARNs, so a policy always names the real resources of this
stack; ``document`` turns them into one JSON Output. Keeping them as dataclasses lets every
component state *what* it allows, and lets the tests parse every policy the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

VERSION = "2012-10-17"


@dataclass(frozen=True)
class Statement:
    """One IAM statement; actions are always explicit (no wildcards) by construction."""

    sid: str
    actions: Sequence[str]
    resources: Sequence[pulumi.Input[str]] = ()
    effect: str = "Allow"
    principals: dict[str, Any] | None = None
    conditions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        wild = [a for a in self.actions if "*" in a]
        if wild and self.effect == "Allow":
            raise ValueError(f"{self.sid}: wildcard actions are not allowed: {wild}")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Sid": self.sid, "Effect": self.effect,
                               "Action": sorted(self.actions)}
        if self.principals is not None:
            out["Principal"] = self.principals
        if self.resources:
            out["Resource"] = list(self.resources)
        if self.conditions:
            out["Condition"] = self.conditions
        return out


def document(*statements: Statement) -> pulumi.Output[str]:
    """A policy document as JSON, resolving every ARN Output inside it."""
    return pulumi.Output.json_dumps({"Version": VERSION,
                                     "Statement": [s.as_dict() for s in statements]})


def assume_role(service: str, account_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """Trust one AWS service, only on behalf of this account (confused-deputy guard)."""
    return document(Statement(
        sid="AssumeFromService", actions=["sts:AssumeRole"],
        principals={"Service": service},
        conditions={"StringEquals": {"aws:SourceAccount": account_id}},
    ))


def objects_of(bucket_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """The ARN pattern of every object in one bucket (still scoped to that bucket)."""
    return pulumi.Output.concat(bucket_arn, "/*")


def streams_of(log_group_arn: pulumi.Input[str]) -> pulumi.Output[str]:
    """The log streams of one log group, whatever form the provider gives the group's ARN."""
    return pulumi.Output.from_input(log_group_arn).apply(
        lambda arn: f"{arn.removesuffix(':*')}:log-stream:*")
