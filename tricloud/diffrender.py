"""A plan diff for people: plain text for a terminal, Markdown for a pull-request comment.

Both open with what a reviewer must not miss: data stores replaced, deleted or moved onto
replaced resources (``tricloud.impact``), then the estimated monthly cost change
(``tricloud.cost``). The Markdown is capped (GitHub refuses comments over 65536 characters): the
warnings, the cost line, the summary table, the guardrail headline and the legend always fit;
resource details fill what is left and end with a line saying how many were left out, so a huge
change still gives a readable comment. ``summary=True`` writes only the table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from tricloud.cost.estimate import StackDelta, money
from tricloud.cost.render import delta_headline, delta_lines
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
from tricloud.impact import DataStoreWarning

COMMENT_MARKER = "<!-- tricloud-plan-diff -->"
MARKDOWN_LIMIT = 60_000  # under GitHub's 65536, with room for the workflow's own wrapping
_VALUE_WIDTH = 80
_SYMBOL = {Action.CREATE: "+", Action.DELETE: "-", Action.UPDATE: "~", Action.REPLACE: "+-"}
_ORDER = (Action.CREATE, Action.UPDATE, Action.REPLACE, Action.DELETE)

LEGEND = (
    "create/delete: the resource is in one plan only. update: its inputs differ. replace: only "
    "where a plan file can know it (type or parent changed without an alias, provider changed, "
    "or a property listed in tricloud.replacing.REPLACE_ON_CHANGE, a short table, also when it "
    "changed because what it refers to was replaced); other changes may "
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


def _warning_lines(warnings: tuple[DataStoreWarning, ...], markdown: bool) -> list[str]:
    if not warnings:
        return []
    if markdown:
        return ["> [!WARNING]", f"> **{len(warnings)} data store(s) at risk**", ">",
                *[f"> - {w.sentence()}" for w in warnings], ""]
    return [f"!! {len(warnings)} data store(s) at risk:",
            *[f"!!   {w.sentence()}".replace("`", "") for w in warnings], ""]


def render_text(diff: PlanDiff, findings: Mapping[str, tuple[Finding, ...]] | None = None,
                *, warnings: tuple[DataStoreWarning, ...] = (),
                costs: Mapping[str, StackDelta] | None = None) -> str:
    """Every change, uncapped: for a terminal or a CI log."""
    lines: list[str] = _warning_lines(warnings, markdown=False)
    if costs is not None:
        lines += [delta_headline(costs), ""]
    for stack in diff.stacks:
        found = findings.get(stack.stack, ()) if findings is not None else ()
        if not stack.has_changes and not found:
            continue
        lines.append(f"== {stack.stack} ({stack.status}): {counts(stack)}")
        if costs is not None and stack.stack in costs:
            lines += delta_lines(costs[stack.stack])
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


def _cost_cell(delta: StackDelta | None) -> str:
    if delta is None:
        return "n/a"
    if not delta.estimated:
        return "not estimated" if delta.not_estimated else "none billable"
    partly = " (partly not estimated)" if delta.not_estimated else ""
    return f"{money(delta.delta, signed=True)} → {money(delta.after)}{partly}"


def render_markdown(diff: PlanDiff, findings: Mapping[str, tuple[Finding, ...]] | None = None,
                    *, max_chars: int | None = MARKDOWN_LIMIT, title: str = "tricloud plan diff",
                    warnings: tuple[DataStoreWarning, ...] = (),
                    costs: Mapping[str, StackDelta] | None = None, summary_only: bool = False,
                    ) -> str:
    """A pull-request comment: warnings, cost, summary table, then a section per stack."""
    totals = diff.totals()
    changed = [s for s in diff.stacks if s.has_changes]
    summary = ", ".join(f"{totals[a]} to {a}" for a in _ORDER if totals[a]) or "no changes"
    head = [COMMENT_MARKER, f"## {title}", "", *_warning_lines(warnings, markdown=True)]
    if costs is not None:
        head += [f"**{delta_headline(costs)[0].upper()}{delta_headline(costs)[1:]}**", ""]
    cost_header = (" cost/month (delta → head) |", "---|") if costs is not None else ("", "")
    head += [f"**{len(changed)} of {len(diff.stacks)} stack(s) change**: {summary}.", "",
             "| stack | status | create | update | replace | delete | guardrails (head) |"
             + cost_header[0], "|---|---|---:|---:|---:|---:|---|" + cost_header[1]]
    for s in diff.stacks:
        cells = " | ".join(str(s.count(a)) for a in _ORDER)
        found = findings.get(s.stack, ()) if findings is not None else None
        cell = "n/a" if s.status is StackStatus.REMOVED else _guardrail_cell(found)
        cost = f" {_cost_cell(costs.get(s.stack))} |" if costs is not None else ""
        head.append(f"| `{s.stack}` | {s.status} | {cells} | {cell} |{cost}")
    foot = ["", f"<sub>{LEGEND}</sub>", ""]
    if summary_only:
        note = ("", "Summary only: `tricloud diff BASE.json HEAD.json` on the workflow's plan "
                "files shows every change.")
        return "\n".join([*head, *note, *foot])
    reserve = 400 * len(diff.stacks)  # each section's closing tags and "N more" line
    fixed = len("\n".join(head + foot)) + reserve
    budget = _Budget(None if max_chars is None else max(max_chars - fixed, 0))
    body: list[str] = []
    for stack in diff.stacks:
        found = findings.get(stack.stack, ()) if findings is not None else ()
        if stack.has_changes or found:
            cost = costs.get(stack.stack) if costs is not None else None
            body += _stack_section(stack, found, budget, cost)
    return "\n".join([*head, "", *body, *foot])


def _stack_section(stack: StackDiff, found: tuple[Finding, ...], budget: _Budget,
                   cost: StackDelta | None = None) -> list[str]:
    lines = ["<details>", f"<summary><b>{stack.stack}</b> ({stack.status}): {counts(stack)}"
             f"</summary>", ""]
    if cost is not None:
        cost_lines = delta_lines(cost)
        lines += [f"**Cost**: {cost_lines[0].removeprefix('cost: ')}", ""]
        shown = [line for line in cost_lines[1:] if budget.take(line)]
        if shown:
            lines += ["```", *[line.strip() for line in shown], "```", ""]
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
