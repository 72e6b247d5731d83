"""GCP physical names: each resource kind's length and character rules (see components.naming).

Globally or project-unique names (buckets, service accounts, secrets, repositories, log buckets)
are set explicitly so policies and filters can name them before the resource exists.
"""

from __future__ import annotations

from components.naming import NameRule

BUCKET = NameRule(63)
SERVICE_ACCOUNT = NameRule(30)
SECRET = NameRule(255, allowed="a-z0-9_-")
ARTIFACT_REPOSITORY = NameRule(63)
LOG_BUCKET = NameRule(100, allowed="a-z0-9_-")
