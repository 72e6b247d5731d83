"""A plan diff for people: plain text for a terminal, Markdown for a pull-request comment.

The Markdown is capped (GitHub refuses comments over 65536 characters): the summary table, the
guardrail headline and the legend always fit; resource details fill what is left and end with
a line saying how many were left out, so a huge change still gives a readable comment.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from tricloud.diff import (
    ABSENT,
    Action,
    Finding,
    PlanDiff,
    PropertyChange,
    ResourceDiff,
    StackDiff,
    StackStatus,
)

COMMENT_MARKER = "<!-- tricloud-plan-diff -->"
MARKDOWN_LIMIT = 60_000  # under GitHub's 65536, with room for the workflow's own wrapping
_VALUE_WIDTH = 80
_SYMBOL = {Action.CREATE: "+", Action.DELETE: "-", Action.UPDATE: "~", Action.REPLACE: "+-"}
_ORDER = (Action.CREATE, Action.UPDATE, Action.REPLACE, Action.DELETE)

LEGEND = (
    "create/delete: the resource is in one plan only. update: its inputs differ. replace: only "
    "where a plan file can know it (type or parent changed without an alias, provider changed, "
    "or a property listed in tricloud.diff.REPLACE_ON_CHANGE, a short table); other changes may "
    "still replace: `pulumi preview --diff` has the provider's answer. Secrets show as "
    "[secret]; a change involving one shows as \"changed (secret)\".")


class Format(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"


def _value(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True) if value != "[secret]" else value
    text = text.replace("`", "'")
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


def property_line(change: PropertyChange) -> str:
    if change.before is ABSENT:
        return f"+     {change.path} = {_value(change.after)}"
    if change.after is ABSENT:
        return f"-     {change.path} = {_value(change.before)}"
    if change.secret:
        return f"~     {change.path}: changed (secret)"
    return f"~     {change.path}: {_value(change.before)} → {_value(change.after)}"


def resource_lines(resource: ResourceDiff) -> list[str]:
    head = f"{_SYMBOL[resource.action]} {resource.action:<7} {resource.type}  {resource.name}"
    lines = [head + (f"  ({'; '.join(resource.reasons)})" if resource.reasons else "")]
    return lines + [property_line(c) for c in resource.changes]


def _output_lines(stack: StackDiff) -> list[str]:
    return [property_line(PropertyChange(f"(output) {c.path}", c.before, c.after)).replace(
        "     ", " ", 1) for c in stack.outputs]


def counts(stack: StackDiff) -> str:
    parts = [f"{stack.count(a)} to {a}" for a in _ORDER if stack.count(a)]
    if stack.outputs:
        parts.append(f"{len(stack.outputs)} output(s) changed")
    return ", ".join(parts) or "no changes"


def _guardrail_cell(findings: tuple[Finding, ...] | None) -> str:
    if findings is None:
        return "not run"
    mandatory = sum(1 for f in findings if f.violation.severity == "mandatory")
    advisory = len(findings) - mandatory
    new = sum(1 for f in findings if f.new)
    if not findings:
        return "✅ none"
    text = ", ".join(p for p in (f"{mandatory} mandatory" if mandatory else "",
                                 f"{advisory} advisory" if advisory else "") if p)
    return f"{'❌' if mandatory else '⚠️'} {text}" + (f" (**{new} new**)" if new else "")


def _finding_line(finding: Finding, markdown: bool) -> str:
    v = finding.violation
    new = ("🆕 " if markdown else "NEW ") if finding.new else ""
    if markdown:
        return (f"- {new}**{v.severity}** `{v.rule_id}` {v.resource_type} "
                f"`{v.urn.rsplit('::', 1)[-1]}`: {v.message}")
    return f"  {new}{v.severity:<9} {v.rule_id}  {v.resource_type} {v.urn.rsplit('::', 1)[-1]}: " \
           f"{v.message}"


def render_text(diff: PlanDiff, findings: Mapping[str, tuple[Finding, ...]] | None = None) -> str:
    """Every change, uncapped: for a terminal or a CI log."""
    lines: list[str] = []
    for stack in diff.stacks:
        found = findings.get(stack.stack, ()) if findings is not None else ()
        if not stack.has_changes and not found:
            continue
        lines.append(f"== {stack.stack} ({stack.status}): {counts(stack)}")
        for resource in stack.resources:
            lines += resource_lines(resource)
        lines += _output_lines(stack)
        if found:
            lines.append("guardrails (head):")
            lines += [_finding_line(f, markdown=False) for f in found]
        lines.append("")
    unchanged = [s.stack for s in diff.stacks if not s.has_changes]
    totals = diff.totals()
    summary = ", ".join(f"{totals[a]} to {a}" for a in _ORDER if totals[a]) or "no changes"
    lines.append(f"{sum(s.has_changes for s in diff.stacks)} of {len(diff.stacks)} stack(s) "
                 f"change: {summary}" + (f"; unchanged: {', '.join(unchanged)}" if unchanged
                                         else ""))
    lines.append(f"legend: {LEGEND}")
    return "\n".join(lines) + "\n"


class _Budget:
    """Characters left for optional detail; ``None`` means no cap."""

    def __init__(self, limit: int | None) -> None:
        self.left = limit

    def take(self, text: str) -> bool:
        if self.left is None:
            return True
        if len(text) + 1 > self.left:
            return False
        self.left -= len(text) + 1
        return True


def render_markdown(diff: PlanDiff, findings: Mapping[str, tuple[Finding, ...]] | None = None,
                    *, max_chars: int | None = MARKDOWN_LIMIT, title: str = "tricloud plan diff",
                    ) -> str:
    """A pull-request comment: summary table, then a collapsible section per stack."""
    totals = diff.totals()
    changed = [s for s in diff.stacks if s.has_changes]
    summary = ", ".join(f"{totals[a]} to {a}" for a in _ORDER if totals[a]) or "no changes"
    head = [COMMENT_MARKER, f"## {title}", "",
            f"**{len(changed)} of {len(diff.stacks)} stack(s) change**: {summary}.", "",
            "| stack | status | create | update | replace | delete | guardrails (head) |",
            "|---|---|---:|---:|---:|---:|---|"]
    for s in diff.stacks:
        cells = " | ".join(str(s.count(a)) for a in _ORDER)
        found = findings.get(s.stack, ()) if findings is not None else None
        cell = "n/a" if s.status is StackStatus.REMOVED else _guardrail_cell(found)
        head.append(f"| `{s.stack}` | {s.status} | {cells} | {cell} |")
    foot = ["", f"<sub>{LEGEND}</sub>", ""]
    reserve = 400 * len(diff.stacks)  # each section's closing tags and "N more" line
    fixed = len("\n".join(head + foot)) + reserve
    budget = _Budget(None if max_chars is None else max(max_chars - fixed, 0))
    body: list[str] = []
    for stack in diff.stacks:
        found = findings.get(stack.stack, ()) if findings is not None else ()
        if stack.has_changes or found:
            body += _stack_section(stack, found, budget)
    return "\n".join([*head, "", *body, *foot])


def _stack_section(stack: StackDiff, found: tuple[Finding, ...], budget: _Budget) -> list[str]:
    lines = ["<details>", f"<summary><b>{stack.stack}</b> ({stack.status}): {counts(stack)}"
             f"</summary>", ""]
    if found:
        lines.append("**Guardrails** (head; 🆕 = not in base):")
        shown = 0
        for finding in found:
            line = _finding_line(finding, markdown=True)
            if not budget.take(line):
                break
            lines.append(line)
            shown += 1
        if shown < len(found):
            lines.append(f"- … {len(found) - shown} more violation(s) not shown "
                         "(run `tricloud check` for all)")
        lines.append("")
    blocks = [resource_lines(r) for r in stack.resources]
    blocks += [[line] for line in _output_lines(stack)]
    if blocks:
        lines.append("```diff")
        shown = 0
        for block in blocks:
            if not budget.take("\n".join(block)):
                break
            lines += block
            shown += 1
        lines.append("```")
        if shown < len(blocks):
            lines.append(f"… {len(blocks) - shown} more change(s) not shown: the comment is "
                         "capped; run `tricloud diff` on the plan files (a workflow artifact) "
                         "for the full diff.")
    return [*lines, "", "</details>", ""]
