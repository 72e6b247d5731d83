"""Name rules GCP needs that ``components/naming.py`` does not have yet.

Proposed to the lead as rows of ``components/naming.py``; kept here until then so the names are
still built by the shared ``physical_name`` and not by hand.
"""

from __future__ import annotations

from components.naming import NameRule

GCP_SECRET = NameRule(255, allowed="a-z0-9_-")
GCP_ARTIFACT_REPOSITORY = NameRule(63)
GCP_LOG_BUCKET = NameRule(100, allowed="a-z0-9_-")
