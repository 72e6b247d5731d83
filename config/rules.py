"""Rules between settings of one stack, each reported against the key to change.

They run after every single value is valid (they compare valid values), and they report all
their problems at once, so a stack author fixes a file in one pass rather than one per run.
"""

from __future__ import annotations

from config.enums import Cloud, Environment
from config.errors import MISSING, Problem
from config.regions import region_problem
from config.schema import PlatformConfig
from config.sizes import JOB_MEMORY_PER_CPU, database_machine


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
