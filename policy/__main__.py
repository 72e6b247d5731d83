"""Runner two of the guardrails: ``pulumi preview --policy-pack policy`` from the project root.

The rules live in ``tricloud/guardrails`` (shared with ``tricloud check``), so the project root
goes first on the import path: the pack always judges with the rules of the same checkout.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from policies import PACK_NAME, build
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(name=PACK_NAME, enforcement_level=EnforcementLevel.MANDATORY, policies=build())
