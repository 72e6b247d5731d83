"""Offline synthesis: run the real Pulumi program under Pulumi's mocks, no CLI, no credentials.

The program (``__main__.py``) runs unchanged: it reads its config through ``pulumi.Config``,
which is fed from the stack file exactly as the CLI would feed it. Secure values cannot be
decrypted offline, so they are replaced by a placeholder that the program sees as a secret.
"""

from __future__ import annotations

import json
import runpy
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import set_all_config, set_mocks
from pulumi.runtime.settings import SETTINGS, set_root_resource
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from components.registry import mock_responder
from config.loader import SECRET_KEYS, load_stack_file
from tricloud.mocks import PlanMocks, RecordingMonitor, mask
from tricloud.plan import SECRET, StackPlan

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROGRAM = PROJECT_ROOT / "__main__.py"
PROJECT = "tricloud"
OFFLINE_SECRET = "offline-placeholder-secret"


def _stack_config(path: Path) -> dict[str, str]:
    """The stack file's config as the Pulumi CLI hands it to a program (objects as JSON)."""
    import yaml

    config = yaml.safe_load(path.read_text())["config"]
    values = {k: (v if isinstance(v, str) else json.dumps(v)) for k, v in config.items()}
    for key in SECRET_KEYS:
        values[key] = OFFLINE_SECRET
    return values


def synthesize(path: Path) -> StackPlan:
    """Validate one stack file, run the program under mocks and return what it declared."""
    stack = load_stack_file(path)
    mocks = PlanMocks(mock_responder(stack.platform.cloud)(stack.platform))
    monitor = RecordingMonitor(mocks)
    set_root_resource(None)  # type: ignore[arg-type]  # a fresh Stack per synthesis
    SETTINGS.rpc_manager.clear()
    set_mocks(mocks, project=PROJECT, stack=stack.name, preview=False, monitor=monitor)
    set_all_config(_stack_config(path), secret_keys=sorted(SECRET_KEYS))

    def program() -> None:
        runpy.run_path(str(PROGRAM), run_name="__main__")

    _sync_await(run_pulumi_func(program))
    outputs = _resolved_outputs()
    return StackPlan(
        stack=stack.name,
        cloud=stack.platform.cloud.value,
        region=stack.platform.region,
        environment=stack.platform.environment.value,
        resources=sorted(monitor.planned, key=lambda r: r.urn),
        outputs=outputs,
        usage={"schedule": stack.platform.pipeline.schedule,
               **stack.platform.usage.model_dump()},
    )


def _resolved_outputs() -> dict[str, Any]:
    root = pulumi.runtime.get_root_resource()
    exported: dict[str, Any] = dict(getattr(root, "outputs", {}))
    resolved: dict[str, Any] = {}
    for name, value in sorted(exported.items()):
        output = pulumi.Output.from_input(value)
        if _sync_await(output.is_secret()):
            resolved[name] = SECRET
        else:
            resolved[name] = mask(_sync_await(output.future()))
    return resolved


def synthesize_changed(path: Path, changes: Mapping[str, Any]) -> StackPlan:
    """The stack as a pull request changing some of its config would plan it.

    ``changes`` are dotted keys of ``tricloud:platform`` (``network.cidr``); the changed file
    is written to a temporary folder under the same name, so the stack keeps its name.
    """
    import yaml

    document = yaml.safe_load(path.read_text())
    platform = document["config"]["tricloud:platform"]
    for key, value in changes.items():
        *sections, leaf = key.split(".")
        node = platform
        for section in sections:
            node = node.setdefault(section, {})
        node[leaf] = value
    with tempfile.TemporaryDirectory(prefix="tricloud-change-") as folder:
        changed = Path(folder) / path.name
        changed.write_text(yaml.safe_dump(document, sort_keys=False))
        return synthesize(changed)
