"""Each cloud's regions that offer every service the platform uses.

Kept as data, not fetched: validation must work offline and before any provider exists. Add a
region here when a cloud opens one (and it has managed PostgreSQL and serverless containers).
"""

from __future__ import annotations

import difflib

from config.enums import Cloud

REGIONS: dict[Cloud, frozenset[str]] = {
    Cloud.AWS: frozenset({
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "ca-west-1",
        "sa-east-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
        "eu-north-1", "eu-south-1", "eu-south-2", "ap-south-1", "ap-south-2", "ap-southeast-1",
        "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-northeast-1",
        "ap-northeast-2", "ap-northeast-3", "ap-east-1", "me-south-1", "me-central-1",
        "il-central-1", "af-south-1",
    }),
    Cloud.GCP: frozenset({
        "us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2",
        "us-west3", "us-west4", "northamerica-northeast1", "northamerica-northeast2",
        "southamerica-east1", "southamerica-west1", "europe-west1", "europe-west2",
        "europe-west3", "europe-west4", "europe-west6", "europe-west8", "europe-west9",
        "europe-west10", "europe-west12", "europe-north1", "europe-central2",
        "europe-southwest1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2",
        "asia-northeast3", "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2",
        "australia-southeast1", "australia-southeast2", "me-central1", "me-central2",
        "me-west1", "africa-south1",
    }),
    Cloud.AZURE: frozenset({
        "eastus", "eastus2", "centralus", "northcentralus", "southcentralus", "westcentralus",
        "westus", "westus2", "westus3", "canadacentral", "canadaeast", "brazilsouth",
        "northeurope", "westeurope", "uksouth", "ukwest", "francecentral", "germanywestcentral",
        "norwayeast", "swedencentral", "switzerlandnorth", "polandcentral", "italynorth",
        "spaincentral", "eastasia", "southeastasia", "japaneast", "japanwest", "koreacentral",
        "centralindia", "southindia", "australiaeast", "australiasoutheast", "uaenorth",
        "southafricanorth", "qatarcentral", "israelcentral",
    }),
}


def region_problem(cloud: Cloud, region: str) -> str | None:
    """Why ``region`` is not usable on ``cloud`` (naming the cloud it belongs to, if another,
    and the closest regions of ``cloud``), or None when it is."""
    if region in REGIONS[cloud]:
        return None
    owner = next((c for c in Cloud if region in REGIONS[c]), None)
    what = (f"{region!r} is a {owner.title} region and this stack's cloud is {cloud.title}"
            if owner else f"{region!r} is not a region the platform supports on {cloud.title}")
    close = difflib.get_close_matches(region, sorted(REGIONS[cloud]), n=4, cutoff=0.6)
    hint = (f"close matches on {cloud.title}: {', '.join(close)}" if close
            else f"e.g. {', '.join(sorted(REGIONS[cloud])[:4])}")
    return f"{what}; {hint} (all of them: config/regions.py)"
