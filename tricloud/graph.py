"""A synthesised stack as a Mermaid flowchart: components as boxes, and the pipeline's data paths.

The data paths (job to storage, database and secrets) are what a reviewer wants to see and what
the component tree hides. They are found in the plan, not drawn by hand: an edge is solid when
the job's inputs name the resource (a bucket in an environment variable, a secret's id in a
secret reference), and dotted when the resource is only known by its role (an auto-named
database the job reaches by an address the plan cannot tie to it).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tricloud.plan import PlannedResource, StackPlan

MAX_CHILDREN = 4  # more plain resources than this in a component become one node of type counts


class Role(StrEnum):
    JOB = "job"
    STORAGE = "storage"
    DATABASE = "database"
    SECRET = "secret"


@dataclass(frozen=True)
class Endpoint:
    """A resource type on the data path; ``reference`` is how the job's inputs name it.

    ``reference`` is a template over the resource's inputs (``{logical_name}`` is its Pulumi
    name); ``None`` when nothing in the job's inputs identifies it.
    """

    role: Role
    reference: str | None = None


# The one per-cloud table of data-path resources (keyed by type, so no cloud branches).
ENDPOINTS: dict[str, Endpoint] = {
    "aws:ecs/taskDefinition:TaskDefinition": Endpoint(Role.JOB),
    "aws:s3/bucket:Bucket": Endpoint(Role.STORAGE, "s3://{bucket}"),
    "aws:rds/instance:Instance": Endpoint(Role.DATABASE, "{identifier}."),
    "aws:secretsmanager/secret:Secret": Endpoint(Role.SECRET, ":secret:{name}"),
    "gcp:cloudrunv2/job:Job": Endpoint(Role.JOB),
    "gcp:storage/bucket:Bucket": Endpoint(Role.STORAGE, "gs://{name}"),
    "gcp:sql/databaseInstance:DatabaseInstance": Endpoint(Role.DATABASE),
    "gcp:secretmanager/secret:Secret": Endpoint(Role.SECRET, "/secrets/{secretId}"),
    "azure-native:app:Job": Endpoint(Role.JOB),
    "azure-native:storage:BlobContainer": Endpoint(Role.STORAGE,
                                                    "abfs://{containerName}@{accountName}."),
    "azure-native:dbforpostgresql:Server": Endpoint(Role.DATABASE, "{logical_name}.postgres."),
    "azure-native:keyvault:Secret": Endpoint(Role.SECRET, "/secrets/{secretName}"),
}

_EDGE_LABEL = {Role.STORAGE: "reads/writes", Role.DATABASE: "loads", Role.SECRET: "reads"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Edge:
    source: str  # URN
    target: str  # URN
    role: Role
    referenced: bool  # found in the job's inputs (solid), else inferred by role (dotted)


def _reference(resource: PlannedResource, template: str | None) -> str | None:
    if template is None:
        return None
    values = {**resource.inputs, "logical_name": resource.name}
    parts = [values.get(key) for key in _PLACEHOLDER.findall(template)]
    if not all(isinstance(p, str) and p for p in parts):
        return None
    return _PLACEHOLDER.sub(lambda m: str(values[m[1]]), template)


def _text(value: Any) -> str:
    """All strings of the job's inputs, JSON documents inside strings opened up."""
    if isinstance(value, str):
        try:
            return _text(json.loads(value)) if value[:1] in "{[" else value
        except ValueError:
            return value
    if isinstance(value, dict):
        return "\n".join(_text(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    return ""


def data_paths(plan: StackPlan) -> list[Edge]:
    """Edges from each job to the storage, database and secrets it uses."""
    by_role: dict[Role, list[PlannedResource]] = defaultdict(list)
    for resource in plan.resources:
        endpoint = ENDPOINTS.get(resource.type)
        if endpoint:
            by_role[endpoint.role].append(resource)
    edges: list[Edge] = []
    for job in by_role[Role.JOB]:
        text = _text(job.inputs)
        for role in (Role.STORAGE, Role.DATABASE, Role.SECRET):
            candidates = by_role[role]
            found = [r for r in candidates
                     if (ref := _reference(r, ENDPOINTS[r.type].reference)) and ref in text]
            unnamed = [r for r in candidates if ENDPOINTS[r.type].reference is None]
            edges += [Edge(job.urn, r.urn, role, True) for r in found]
            if not found:
                edges += [Edge(job.urn, r.urn, role, False) for r in unnamed]
    return edges


def _short(type_: str) -> str:
    return type_.rsplit(":", 1)[-1]


def _node_id(urn: str) -> str:
    """Derived from the URN, so adding a resource does not renumber the rest of the diagram."""
    return "r" + hashlib.sha256(urn.encode()).hexdigest()[:8]


def _label(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def render(plan: StackPlan) -> str:
    """Mermaid ``flowchart``: one subgraph per component, data-path edges between resources."""
    edges = data_paths(plan)
    on_path = {e.source for e in edges} | {e.target for e in edges}
    shown = [r for r in plan.resources if not r.type.startswith("pulumi:providers:")]
    ids = {r.urn: _node_id(r.urn) for r in shown}
    children: dict[str | None, list[PlannedResource]] = defaultdict(list)
    for resource in shown:
        children[resource.parent if resource.parent in ids else None].append(resource)
    lines = ["flowchart LR"]

    def walk(parent: str | None, indent: str) -> None:
        kids = children[parent]
        plain = [k for k in kids if k.custom and k.urn not in on_path]
        grouped = len(plain) > MAX_CHILDREN
        for kid in kids:
            if not kid.custom:
                title = _label(f"{_short(kid.type)} {kid.name}")
                lines.append(f"{indent}subgraph {ids[kid.urn]} [{title}]")
                walk(kid.urn, indent + "  ")
                lines.append(f"{indent}end")
            elif not (grouped and kid in plain):
                shape = "[({})]" if kid.urn in on_path else "[{}]"
                text = _label(f"{_short(kid.type)}<br/>{kid.name}")
                lines.append(f"{indent}{ids[kid.urn]}{shape.format(text)}")
        if grouped:
            owner = ids[parent] if parent else "root"
            counts = Counter(_short(k.type) for k in plain)
            text = "<br/>".join(f"{t} x{n}" if n > 1 else t for t, n in sorted(counts.items()))
            lines.append(f"{indent}{owner}_more[{_label(text)}]")

    walk(None, "  ")
    for edge in sorted(edges, key=lambda e: (e.role, ids[e.target])):
        arrow = f"-- {_EDGE_LABEL[edge.role]} -->" if edge.referenced else \
            f"-. {_EDGE_LABEL[edge.role]} .->"
        lines.append(f"  {ids[edge.source]} {arrow} {ids[edge.target]}")
    return "\n".join(lines) + "\n"


def fenced(plan: StackPlan) -> str:
    """The diagram as a Markdown block GitHub draws (docs/diagrams.md, pull-request comment)."""
    return f"```mermaid\n{render(plan)}```"
