"""Reading resource inputs the same way whatever runner hands them over.

A plan holds plain dicts and lists, with some values (IAM documents, provider default tags)
serialised as JSON strings; the policy pack hands over read-only mapping proxies that raise on
values unknown during a preview. These helpers accept both, so a rule never cares which runner
called it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tricloud.guardrails.clouds import clouds_of

if TYPE_CHECKING:
    from tricloud.guardrails.model import Resource, StackFacts


def as_mapping(value: Any) -> Mapping[str, Any]:
    """A mapping, also from its JSON text; anything else (unknown, secret, absent) is empty."""
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    """A list from a list, a JSON array text or a single value; nothing from ``None``."""
    if isinstance(value, str) and value.lstrip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return [value]
    if value is None:
        return []
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    return [value]


def _is_list(value: Any) -> bool:
    if isinstance(value, str):
        return value.lstrip().startswith("[")
    return isinstance(value, Sequence)


def dig(value: Any, path: str) -> Any:
    """``inputs["a"]["b"][0]`` for the path ``"a.b.0"``; a missing step yields ``None``.

    A number steps into a list (also one given as JSON text); any other step into a mapping.
    """
    for step in path.split("."):
        if step.isdigit() and _is_list(value):
            items = as_list(value)
            value = items[int(step)] if int(step) < len(items) else None
        else:
            value = as_mapping(value).get(step)
    return value


def is_true(value: Any) -> bool:
    """Booleans arrive as bools from a plan and sometimes as strings from provider inputs."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


class TypeTable:
    """Per-cloud translation: resource type (exact, or a regex for families) -> what to read.

    The key's package prefix (``aws:``, ``gcp:``, ``azure-native:``) names the cloud, so a rule's
    ``clouds`` come from the same table its check reads.
    """

    def __init__(self, entries: Mapping[str, Any]) -> None:
        self._exact = {k: v for k, v in entries.items() if not k.startswith("re:")}
        self._patterns = [(re.compile(k.removeprefix("re:")), v)
                          for k, v in entries.items() if k.startswith("re:")]
        self.clouds = clouds_of([k.removeprefix("re:") for k in entries])

    def get(self, type_: str) -> Any:
        if type_ in self._exact:
            return self._exact[type_]
        return next((v for p, v in self._patterns if p.fullmatch(type_)), None)

    def __contains__(self, type_: str) -> bool:
        return self.get(type_) is not None

    def check(self, resource: Resource, _facts: StackFacts) -> Iterator[str]:
        """A rule's check when each type's reader needs only the resource itself."""
        reader = self.get(resource.type)
        return reader(resource) if reader else iter(())
