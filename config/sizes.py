"""Neutral sizes to each cloud's machine types: the one table to edit when prices move."""

from __future__ import annotations

from dataclasses import dataclass

from config.enums import Cloud, Size


@dataclass(frozen=True)
class DatabaseMachine:
    """The cloud's name for a managed PostgreSQL machine, and its SKU tier where one exists."""

    name: str
    tier: str | None = None
    supports_high_availability: bool = True


DATABASE_MACHINES: dict[Cloud, dict[Size, DatabaseMachine]] = {
    Cloud.AWS: {
        Size.SMALL: DatabaseMachine("db.t4g.small"),
        Size.MEDIUM: DatabaseMachine("db.m7g.large"),
        Size.LARGE: DatabaseMachine("db.r7g.xlarge"),
    },
    Cloud.GCP: {
        Size.SMALL: DatabaseMachine("db-custom-1-3840"),
        Size.MEDIUM: DatabaseMachine("db-custom-2-7680"),
        Size.LARGE: DatabaseMachine("db-custom-4-26624"),
    },
    Cloud.AZURE: {
        Size.SMALL: DatabaseMachine(
            "Standard_B1ms", tier="Burstable", supports_high_availability=False
        ),
        Size.MEDIUM: DatabaseMachine("Standard_D2ds_v5", tier="GeneralPurpose"),
        Size.LARGE: DatabaseMachine("Standard_E4ds_v5", tier="MemoryOptimized"),
    },
}


def database_machine(cloud: Cloud, size: Size) -> DatabaseMachine:
    return DATABASE_MACHINES[cloud][size]


# Serverless job CPU steps every cloud offers, and the memory each allows per vCPU (GiB).
JOB_CPU_STEPS: tuple[float, ...] = (0.25, 0.5, 1, 2, 4)
JOB_MEMORY_PER_CPU: dict[Cloud, tuple[float, float]] = {
    Cloud.AWS: (2.0, 8.0),     # Fargate task sizes
    Cloud.GCP: (0.5, 8.0),     # Cloud Run jobs (4 GiB per vCPU max at 1 vCPU steps, 32 GiB cap)
    Cloud.AZURE: (2.0, 2.0),   # Container Apps consumption profile: fixed 1:2
}
