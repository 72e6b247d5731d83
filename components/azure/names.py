"""Azure physical names: each resource kind's length and character rules (see components.naming).

Storage accounts, vaults and registries share global DNS namespaces, so their names carry a
stable hash of the stack (``unique_for``) and drop separators where Azure refuses them.
"""

from __future__ import annotations

from components.naming import NameRule

STORAGE_ACCOUNT = NameRule(24, separator="", allowed="a-z0-9")
KEY_VAULT = NameRule(24)
CONTAINER_REGISTRY = NameRule(50, separator="", allowed="a-z0-9")
