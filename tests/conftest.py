"""Suite-wide rules: tests needing a cloud account and the Pulumi CLI skip cleanly without them."""

from __future__ import annotations

import os
import shutil

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if shutil.which("pulumi") and os.environ.get("TRICLOUD_LIVE") == "1":
        return
    skip = pytest.mark.skip(reason="needs the Pulumi CLI, cloud credentials and TRICLOUD_LIVE=1")
    for item in items:
        if "cloud" in item.keywords:
            item.add_marker(skip)
