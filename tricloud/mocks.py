"""Pulumi's unit-test mocks, recording what the program declares.

``RecordingMonitor`` sits where the Pulumi engine would and keeps every registration request
(type, name, parent, provider, protect, retain, aliases and the inputs exactly as serialised,
secret markers included) with the id it was given. ``PlanMocks`` answers with plausible,
deterministic state: each cloud package supplies its own answers (``components/<cloud>/mocks.py``)
through the registry.

Ids are honest: a cloud answers with an id derived from the logical name (``vpc-<hash>``), and
this layer mixes the resource's replacing inputs (``tricloud.replacing``) into that hash, so a
resource whose CIDR changes gets a new id, as a replaced resource would, and everything that
refers to it sees a new value. Ids that are the resource's own name or path (a bucket name, an
ARM id) stay as they are: the cloud keeps those across a replacement too.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from google.protobuf import json_format
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks

from tricloud.plan import SECRET, UNKNOWN, PlannedResource
from tricloud.replacing import forcing_values

_SIG_KEY = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
_RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
_OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
_UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
# An id whose tail is a hash of the logical name: the part a replacement must change.
_HASHED_ID = re.compile(r"(.*?[-_/])([0-9a-f]{8,})")


def honest_id(type_: str, resource_id: str, inputs: dict[str, Any]) -> str:
    """The id a resource gets, changed whenever an input that forces its replacement changes.

    Only a hashed tail is re-derived (same length, so the id keeps its shape); an id without one
    is the resource's name or path, which the cloud itself keeps across a replacement.
    """
    forcing = forcing_values(type_, inputs)
    match = _HASHED_ID.fullmatch(resource_id)
    if not forcing or match is None:
        return resource_id
    prefix, tail = match.groups()
    seed = json.dumps([tail, forcing], sort_keys=True, default=str)
    return prefix + hashlib.sha256(seed.encode()).hexdigest()[: len(tail)]


def with_honest_id(type_: str, answer: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    """A cloud's answer (with its ``id``) after the id is made honest, ARNs and all."""
    proposed = str(answer["id"])
    resource_id = honest_id(type_, proposed, inputs)
    return answer if resource_id == proposed else _replaced(answer, proposed, resource_id)


def _replaced(value: Any, old: str, new: str) -> Any:
    """A state value with every occurrence of the old id (in ARNs, say) replaced by the new."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {k: _replaced(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, old, new) for v in value]
    return value


class CloudMockResponder(Protocol):
    """A cloud's plausible answers: computed resource state and invoke results."""

    def resource_state(self, type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]: ...

    def call(self, token: str, args: dict[str, Any]) -> dict[str, Any]: ...


class GenericResponder:
    """Used for packages without a cloud responder (e.g. pulumi-random)."""

    def resource_state(self, type_: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        if type_ == "random:index/randomPassword:RandomPassword":
            return {"result": f"mock-password-{name}", "bcryptHash": "mock-hash"}
        if type_ == "random:index/randomString:RandomString":
            return {"result": "x" * int(inputs.get("length", 8))}
        if type_ == "random:index/randomId:RandomId":
            return {"hex": "0a1b2c3d", "b64Url": "CmssPQ", "dec": "169552957"}
        return {}

    def call(self, token: str, args: dict[str, Any]) -> dict[str, Any]:
        return {}


@dataclass
class PlanMocks(Mocks):
    """Deterministic ids and state: the same stack always yields the same plan."""

    responder: CloudMockResponder
    fallback: CloudMockResponder = field(default_factory=GenericResponder)

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        state = dict(args.inputs)
        state.setdefault("name", args.name)
        state.update(self.fallback.resource_state(args.typ, args.name, args.inputs))
        answer = self.responder.resource_state(args.typ, args.name, args.inputs)
        state.update(answer)
        proposed = str(state.pop("id", f"{args.name}-id"))
        state.update(with_honest_id(args.typ, {**answer, "id": proposed}, args.inputs))
        return str(state.pop("id")), state

    def call(self, args: MockCallArgs) -> dict[str, Any]:
        answer = self.responder.call(args.token, args.args)
        return answer or self.fallback.call(args.token, args.args)


class RecordingMonitor(MockMonitor):
    """A mock engine that also remembers each registration request as a ``PlannedResource``."""

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.planned: list[PlannedResource] = []

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.planned.append(PlannedResource(
                urn=_engine_urn(response.urn),
                type=request.type,
                name=request.name,
                parent=_parent(request.parent),
                custom=bool(request.custom),
                provider=_engine_urn(request.provider.rsplit("::", 1)[0])
                if request.provider else None,
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                inputs=mask(json_format.MessageToDict(request.object)),
                aliases=sorted(json.dumps(json_format.MessageToDict(a), sort_keys=True)
                               for a in request.aliases),
                id=response.id or None,
            ))
        return response


def _engine_urn(urn: str) -> str:
    """The URN the real engine would assign: the mock monitor also qualifies by the root stack."""
    return urn.replace("::pulumi:pulumi:Stack$", "::")


def _parent(urn: str) -> str | None:
    """Children of the root stack have no parent in the plan; others keep their parent's URN."""
    if not urn or urn.split("::")[-2] == "pulumi:pulumi:Stack":
        return None
    return _engine_urn(urn)


def mask(value: Any) -> Any:
    """Replace secret values by ``[secret]`` and wire envelopes by what they stand for."""
    if isinstance(value, dict):
        sig = value.get(_SIG_KEY)
        if sig == _SECRET_SIG:
            return SECRET
        if sig == _RESOURCE_SIG:
            return value.get("urn")
        if sig == _OUTPUT_SIG:
            if value.get("secret"):
                return SECRET
            return mask(value["value"]) if "value" in value else UNKNOWN
        return {k: mask(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [mask(v) for v in value]
    if value == _UNKNOWN_VALUE:
        return UNKNOWN
    if isinstance(value, float) and value.is_integer():
        return int(value)  # protobuf Struct has only doubles; keep integers integral
    return value
