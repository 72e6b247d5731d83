"""Every cloud package has one shape: the same files per concern, the same classes in them, and
every component ``Name(name, args, scope, opts=None)`` over the shared ``Scope``."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pulumi
import pytest

from components import scope as shared
from components.registry import PACKAGES
from config.enums import Cloud

ROOT = Path(__file__).resolve().parents[2]
SHARED_FILES = {"__init__", "network", "storage", "database", "secrets", "iam", "job",
                "image_registry", "monitoring", "names", "mocks", "scope", "platform"}
# What only one cloud has, because the concern has no counterpart elsewhere (README, Layout).
OWN_FILES = {Cloud.AWS: {"keys", "plans", "policies"}, Cloud.GCP: {"keys", "services"},
             Cloud.AZURE: {"roles"}}
# The component class of each concern, the same name in every cloud.
CLASSES = {"network": "Network", "storage": "Storage", "database": "Database",
           "secrets": "Secrets", "iam": "Identities", "job": "Job",
           "image_registry": "ImageRegistry", "monitoring": "Monitoring", "platform": "Platform",
           "scope": "Scope", "mocks": "MockResponder"}


@pytest.mark.parametrize("cloud", list(Cloud))
def test_every_cloud_folder_holds_the_same_files(cloud):
    folder = ROOT / PACKAGES[cloud].replace(".", "/")
    assert {p.stem for p in folder.glob("*.py")} == SHARED_FILES | OWN_FILES[cloud]


@pytest.mark.parametrize("cloud", list(Cloud))
def test_every_concern_has_its_class_under_the_same_name(cloud):
    for module, cls in CLASSES.items():
        found = getattr(importlib.import_module(f"{PACKAGES[cloud]}.{module}"), cls, None)
        assert inspect.isclass(found), f"{cloud.value}: {module}.py has no {cls}"
    scope = importlib.import_module(f"{PACKAGES[cloud]}.scope").Scope
    assert issubclass(scope, shared.Scope)


@pytest.mark.parametrize("cloud", list(Cloud))
def test_every_component_takes_name_args_scope_and_optional_opts(cloud):
    folder = ROOT / PACKAGES[cloud].replace(".", "/")
    components = [
        obj for stem in sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")
        for obj in vars(importlib.import_module(f"{PACKAGES[cloud]}.{stem}")).values()
        if inspect.isclass(obj) and issubclass(obj, pulumi.ComponentResource)
        and obj.__module__.startswith(PACKAGES[cloud]) and obj.__name__ != "Platform"]
    assert len(components) >= 8
    for component in components:
        params = list(inspect.signature(component.__init__).parameters.values())
        assert [p.name for p in params[2:]] == ["args", "scope", "opts"], component
        assert params[-1].default is None, component
