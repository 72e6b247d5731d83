"""Rules between settings of one stack, each reported against the key to change.

They run after every single value is valid (they compare valid values), and they report all
their problems at once, so a stack author fixes a file in one pass rather than one per run.
"""

from __future__ import annotations

from config.enums import Cloud, Environment, Source
from config.errors import MISSING, Problem
from config.regions import region_problem
from config.schema import PlatformConfig
from config.sizes import JOB_MEMORY_PER_CPU, database_machine
from pipeline.settings import SourceKind


def cross_field_problems(platform: PlatformConfig, prefix: str) -> list[Problem]:
    """Every rule between settings that ``platform`` breaks; keys start with ``prefix``."""
    problems: list[Problem] = []
    cloud = platform.cloud
    machine = database_machine(cloud, platform.database.size)
    if platform.database.high_availability and not machine.supports_high_availability:
        problems.append(Problem(
            f"{prefix}.database.high_availability", True,
            f"needs size medium or large on {cloud.value} ({machine.name}, size "
            f"{platform.database.size.value}, has no standby option)"))
    low, high = JOB_MEMORY_PER_CPU[cloud]
    cpu, mem = platform.pipeline.cpu, platform.pipeline.memory_gb
    if not low * cpu <= mem <= high * cpu:
        problems.append(Problem(
            f"{prefix}.pipeline.memory_gb", mem,
            f"does not fit pipeline.cpu={cpu:g} on {cloud.value}: allowed {low * cpu:g} to "
            f"{high * cpu:g} GiB"))
    problems += _replica_region_problems(platform, prefix)
    problems += _source_problems(platform, prefix)
    if cloud is Cloud.GCP and platform.gcp is None:
        problems.append(Problem(f"{prefix}.gcp.project", MISSING,
                                "required for cloud gcp: the project the stack deploys into"))
    elif cloud is not Cloud.GCP and platform.gcp is not None:
        problems.append(Problem(f"{prefix}.gcp", "(several keys)",
                                f"only allowed for cloud gcp; remove it for {cloud.value}"))
    return problems


def _replica_region_problems(platform: PlatformConfig, prefix: str) -> list[Problem]:
    """``storage.replica_region`` is an AWS prod option naming another AWS region."""
    replica = platform.storage.replica_region
    if replica is None:
        return []
    key = f"{prefix}.storage.replica_region"
    if platform.cloud is not Cloud.AWS or platform.environment is not Environment.PROD:
        return [Problem(key, replica, f"an AWS prod option; remove it from this "
                        f"{platform.cloud.value} {platform.environment.value} stack")]
    other = f"must be an AWS region other than the stack's ({platform.region})"
    if replica == platform.region:
        return [Problem(key, replica, other)]
    problem = region_problem(Cloud.AWS, replica)
    return [Problem(key, replica, f"{other}: {problem}")] if problem else []


def _source_problems(platform: PlatformConfig, prefix: str) -> list[Problem]:
    """``pipeline.source`` must be a source the platforms can give the job everything for, and
    one the pipeline of this version reads (a job that fails at start is worse than a refusal)."""
    source = platform.pipeline.source
    key = f"{prefix}.pipeline.source"
    readable = {kind.value for kind in SourceKind}
    runnable = [s.value for s in Source if s is not Source.EXPORTS and s.value in readable]
    if source is Source.EXPORTS:
        return [Problem(key, source.value, (
            "the exports source reads a landing storage (TRICLOUD_LANDING_URI) that the "
            f"platforms do not create; use {' or '.join(runnable)} on a cloud stack, or run the "
            "exports source where its landing folder is (pipeline run with "
            "TRICLOUD_SOURCE=exports and TRICLOUD_LANDING_URI)"))]
    if source.value not in readable:
        return [Problem(key, source.value, (
            f"this version of the pipeline has no {source.value} source; allowed: "
            f"{', '.join(runnable)}"))]
    return []
