"""What every GCP component shares: the shared ``Scope`` plus project, region and labels.

Passing one typed scope down (instead of loose kwargs) keeps every child on the stack's provider,
under its component, and after the project's APIs are enabled, without each file re-deriving it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_docker_build as docker_build
import pulumi_random as random

from components import scope


@dataclass(frozen=True, kw_only=True)
class Scope(scope.Scope):
    """The stack-wide facts a GCP component needs to declare its children."""

    project: str
    region: str
    labels: dict[str, str]
    # The other packages get explicit providers too, so nothing falls back to a default one.
    random_provider: random.Provider
    image_provider: docker_build.Provider
