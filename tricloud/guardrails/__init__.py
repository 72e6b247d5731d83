"""Guardrails: one rule set over planned resources, run by ``tricloud check`` and the policy pack.

The rules read only plain data (types, inputs, protection flags), never Pulumi objects, so the
same code judges an offline plan, a saved ``tricloud-plan/1`` file and a live preview.
"""

from tricloud.guardrails.evaluate import check_plan, check_resource, failing
from tricloud.guardrails.model import Resource, Rule, Severity, StackFacts, Violation
from tricloud.guardrails.rules import RULES

__all__ = ["RULES", "Resource", "Rule", "Severity", "StackFacts", "Violation", "check_plan",
           "check_resource", "failing"]
