"""(b) Storage or a database without encryption, at rest or in transit.

GCS, Cloud SQL, Azure Storage and Azure PostgreSQL always encrypt at rest, so on those clouds
the setting that can be got wrong is encryption in transit; the table reads whichever setting
the cloud leaves to the user.
"""

from __future__ import annotations

from collections.abc import Iterator

from tricloud.guardrails.model import Resource, Rule, Severity
from tricloud.guardrails.read import TypeTable, as_list, as_mapping, dig

WEAK_TLS = frozenset({"TLS1_0", "TLS1_1"})
GCP_SSL_MODES = frozenset({"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"})


def _rds(r: Resource) -> Iterator[str]:
    if r.inputs.get("storageEncrypted") is not True:
        yield "storage_encrypted is not true"


def _rds_parameters(r: Resource) -> Iterator[str]:
    for p in as_list(r.inputs.get("parameters")):
        if as_mapping(p).get("name") == "rds.force_ssl" and str(as_mapping(p).get("value")) != "1":
            yield "rds.force_ssl is off, so clients may connect without TLS"


def _s3_sse(r: Resource) -> Iterator[str]:
    for rule in as_list(r.inputs.get("rules")):
        algorithm = dig(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")
        if algorithm not in ("AES256", "aws:kms", "aws:kms:dsse"):
            yield f"server-side encryption algorithm {algorithm!r} is not AES256 or aws:kms"


def _cloud_sql(r: Resource) -> Iterator[str]:
    ip = dig(r.inputs, "settings.ipConfiguration")
    if dig(ip, "sslMode") not in GCP_SSL_MODES and dig(ip, "requireSsl") is not True:
        yield "Cloud SQL accepts unencrypted connections (ssl_mode is not ENCRYPTED_ONLY)"


def _azure_account(r: Resource) -> Iterator[str]:
    if r.inputs.get("enableHttpsTrafficOnly") is False:
        yield "enable_https_traffic_only is false"
    if r.inputs.get("minimumTlsVersion") in WEAK_TLS:
        yield f"minimum TLS version {r.inputs['minimumTlsVersion']} is below TLS1_2"


def _azure_pg_config(r: Resource) -> Iterator[str]:
    name = r.inputs.get("configurationName")
    if name == "require_secure_transport" and str(r.inputs.get("value")).lower() != "on":
        yield "require_secure_transport is off, so clients may connect without TLS"


READERS = TypeTable({
    "aws:rds/instance:Instance": _rds,
    "aws:rds/cluster:Cluster": _rds,
    "aws:rds/parameterGroup:ParameterGroup": _rds_parameters,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
        _s3_sse,
    "gcp:sql/databaseInstance:DatabaseInstance": _cloud_sql,
    "azure-native:storage:StorageAccount": _azure_account,
    "azure-native:dbforpostgresql:Configuration": _azure_pg_config,
})


RULE = Rule(
    id="unencrypted-data", severity=Severity.MANDATORY,
    title="storage or database without encryption (at rest or in transit)",
    fixes={
        "aws": "set storage_encrypted=True with a KMS key, S3 SSE 'aws:kms' (or AES256) and "
               "rds.force_ssl=1 in the parameter group",
        "gcp": "set settings.ip_configuration.ssl_mode='ENCRYPTED_ONLY' (at rest is always on)",
        "azure": "set enable_https_traffic_only=True, minimum_tls_version='TLS1_2' and the "
                 "server parameter require_secure_transport=on (at rest is always on)",
    },
    clouds=READERS.clouds, check=READERS.check,
)
