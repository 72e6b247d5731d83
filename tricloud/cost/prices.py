"""The price table: per cloud, per billable kind (and machine class), per region where it differs.

Every row says when and where it was read. The rows were read on 2026-12-02 from stored copies
of public pages (no live access to the clouds' price lists was available): the clouds' own
pricing pages where a copy was found, otherwise third-party summaries; ``obtained`` says which.
A kind, class or region that is not here is "not estimated" in every report: add a row (with its
source) to price it. Rows are list prices: free allotments (per project, subscription or billing
account, shared with whatever else runs there) are not deducted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ANY_REGION = "*"
HOURS_PER_MONTH = Decimal(730)  # the clouds' own convention for a month of an hourly price


@dataclass(frozen=True)
class Price:
    cloud: str
    kind: str
    key: str  # the machine class or tier the price is for; "" when the kind has one price
    unit: str
    usd: Decimal
    region: str  # a region name, or ANY_REGION when the source gives one price for all
    read: str  # the date the source was read
    source: str  # the page's address
    obtained: str  # how it was read, in words


_READ = "2026-12-02"
_STORED = f"stored copy read {_READ} through a search index of public pages"

PRICES: tuple[Price, ...] = (
    Price("aws", "nat-gateway", "", "hour", Decimal("0.045"), "us-east-1", _READ,
          "https://basavytix.com/blog/aws-nat-gateway-pricing",
          f"{_STORED}; third-party summary of the AWS VPC pricing page, us-east-1 rates"),
    Price("aws", "public-ipv4", "", "hour", Decimal("0.005"), ANY_REGION, _READ,
          "https://www.doit.com/aws-public-ipv4-price-increase-the-complete-guide/",
          f"{_STORED}; third-party guide to the February 2024 public IPv4 charge, one price "
          "with no region"),
    Price("aws", "rds-postgres-instance", "db.t4g.micro", "hour", Decimal("0.016"), "us-east-1",
          _READ, "https://infratally.com/articles/aws-rds-pricing-explained-2026.html",
          f"{_STORED}; third-party table of Single-AZ rates in us-east-1 (Multi-AZ exactly "
          "double)"),
    Price("aws", "rds-postgres-instance", "db.t4g.small", "hour", Decimal("0.032"), "us-east-1",
          _READ, "https://infratally.com/articles/aws-rds-pricing-explained-2026.html",
          f"{_STORED}; third-party table of Single-AZ rates in us-east-1 (Multi-AZ exactly "
          "double)"),
    Price("aws", "rds-postgres-instance", "db.t4g.medium", "hour", Decimal("0.065"), "us-east-1",
          _READ, "https://infratally.com/articles/aws-rds-pricing-explained-2026.html",
          f"{_STORED}; third-party table of Single-AZ rates in us-east-1 (Multi-AZ exactly "
          "double)"),
    Price("aws", "rds-gp3-storage", "", "GB-month", Decimal("0.115"), "us-east-1", _READ,
          "https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/",
          f"{_STORED}; third-party summary of the RDS pricing page, US East (N. Virginia)"),
    Price("aws", "fargate-vcpu", "X86_64", "vCPU-hour", Decimal("0.04048"), "us-east-1", _READ,
          "https://www.vantage.sh/blog/fargate-pricing",
          f"{_STORED}; third-party table of Linux/x86 rates in us-east-1"),
    Price("aws", "fargate-memory", "X86_64", "GB-hour", Decimal("0.004445"), "us-east-1", _READ,
          "https://www.vantage.sh/blog/fargate-pricing",
          f"{_STORED}; third-party table of Linux/x86 rates in us-east-1"),
    Price("aws", "kms-key", "", "month", Decimal("1.00"), ANY_REGION, _READ,
          "https://aws.amazon.com/kms/pricing/",
          f"{_STORED}; the AWS KMS pricing page itself (each yearly rotation adds $1/month, "
          "not counted)"),
    Price("aws", "secret", "", "month", Decimal("0.40"), ANY_REGION, _READ,
          "https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials"
          "-kms", f"{_STORED}; third-party overview, one price with no region"),
    Price("aws", "log-ingestion", "", "GB", Decimal("0.50"), "us-east-1", _READ,
          "https://c3x.dev/blog/cloudwatch-logs-cost-optimization",
          f"{_STORED}; third-party summary of CloudWatch Logs standard-class rates, us-east-1"),
    Price("aws", "vpc-endpoint-gateway", "", "month", Decimal("0"), ANY_REGION, _READ,
          "https://hub.pointfive.co/inefficiencies/excessive-nat-gateway-data-processing-charges"
          "-from-unoptimized-traffic-routing",
          f"{_STORED}; states that gateway endpoints for S3 and DynamoDB have no hourly or data "
          "charge"),
    Price("aws", "s3-standard-storage", "", "GB-month", Decimal("0.023"), "us-east-1", _READ,
          "https://devnotes.tech/understanding-aws-s3-pricing-a-complete-cost-breakdown-with"
          "-examples", f"{_STORED}; third-party S3 pricing guide, S3 Standard in US East (the "
          "first, dearest tier)"),
    Price("aws", "ecr-storage", "", "GB-month", Decimal("0.10"), ANY_REGION, _READ,
          "https://www.factualminds.com/blog/amazon-ecr-pricing-storage-replication-pull"
          "-through/", f"{_STORED}; third-party ECR pricing article, one price with no region"),
    Price("gcp", "gcs-standard-storage", "", "GB-month", Decimal("0.023"), "europe-west2", _READ,
          "https://cloud.google.com/storage/pricing",
          f"{_STORED}; official GCP page (a copy served through retrosearch.org), Standard "
          "storage in London (europe-west2)"),
    Price("gcp", "cloud-nat-ip", "", "hour", Decimal("0.005"), ANY_REGION, _READ,
          "https://cloud.google.com/nat/pricing",
          f"{_STORED}; official GCP page (Google's cloud-dot-devsite copy), per external IP "
          "address used by a Public NAT gateway, one price table with no region"),
    Price("gcp", "cloud-nat-gateway", "", "VM-hour", Decimal("0.0014"), ANY_REGION, _READ,
          "https://cloud.google.com/nat/pricing",
          f"{_STORED}; official GCP page, per VM instance using the gateway (capped at 32 "
          "VMs, $0.044/hour), one price table with no region"),
    Price("gcp", "cloud-nat-data", "", "GiB", Decimal("0.045"), ANY_REGION, _READ,
          "https://cloud.google.com/nat/pricing",
          f"{_STORED}; official GCP page, which says the data processing price is the same in "
          "every region"),
    Price("gcp", "secret-manager", "", "version-month", Decimal("0.06"), ANY_REGION, _READ,
          "https://cloud.google.com/secret-manager/pricing",
          f"{_STORED}; official GCP page (Japanese edition), per active secret version per "
          "location; automatic replication bills as one location"),
    Price("gcp", "cloud-kms-key", "SOFTWARE", "version-month", Decimal("0.06"), ANY_REGION,
          _READ, "https://cloud.google.com/kms/pricing",
          f"{_STORED}; official GCP page (Japanese edition, prices effective 2025-03-17), per "
          "active software-protected key version"),
    Price("gcp", "cloud-scheduler-job", "", "month", Decimal("0.10"), ANY_REGION, _READ,
          "https://cloud.google.com/scheduler/pricing",
          f"{_STORED}; official GCP page (Google's cloud-dot-devsite copy), $0.10 per job per "
          "31 days; 3 free jobs per billing account"),
    Price("gcp", "cloud-logging-ingestion", "", "GiB", Decimal("0.50"), ANY_REGION, _READ,
          "https://cloud.google.com/stackdriver/pricing",
          f"{_STORED}; official GCP page (a copy served through movatter.jp), log storage "
          "including 30 days; first 50 GiB per project a month free"),
    Price("azure", "azure-public-ip", "Standard", "hour", Decimal("0.005"), ANY_REGION, _READ,
          "https://c3x.dev/resources/azure/azurerm_public_ip",
          f"{_STORED}; third-party cost-estimation page, Standard SKU, one price with no "
          "region"),
    Price("azure", "acr", "Basic", "day", Decimal("0.167"), ANY_REGION, _READ,
          "https://learn.microsoft.com/en-us/azure/container-registry/container-registry-skus",
          f"{_STORED}; official Azure docs' worked example (Basic, 10 GB included, US dollars, "
          "no region named)"),
)


def find(cloud: str, kind: str, key: str, region: str) -> Price | None:
    """The row for this region, else the row that holds for every region, else nothing."""
    rows = [p for p in PRICES if (p.cloud, p.kind, p.key) == (cloud, kind, key)]
    return next((p for p in rows if p.region == region), None) or next(
        (p for p in rows if p.region == ANY_REGION), None)
