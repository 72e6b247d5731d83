"""(g) A prod data store without protection against deletion.

``components.context.data_store_options`` sets Pulumi ``protect`` and ``retain_on_delete``
together; the cloud's own deletion flags are checked where the type has one. The policy pack
cannot see ``retain_on_delete`` (the engine does not pass it to analyzers), so there only
``protect`` and the cloud flags are judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from config.enums import Environment
from tricloud.guardrails.model import Resource, Rule, Severity, StackFacts
from tricloud.guardrails.read import TypeTable, dig

# type -> the cloud's own deletion settings and the value each must have in prod
STORES = TypeTable({
    "aws:s3/bucket:Bucket": {"forceDestroy": False},
    "aws:s3/bucketV2:BucketV2": {"forceDestroy": False},
    "aws:rds/instance:Instance": {"deletionProtection": True, "skipFinalSnapshot": False},
    "aws:kms/key:Key": {},
    "gcp:storage/bucket:Bucket": {"forceDestroy": False},
    "gcp:sql/databaseInstance:DatabaseInstance": {"deletionProtection": True},
    "gcp:kms/cryptoKey:CryptoKey": {},
    "azure-native:storage:StorageAccount": {},
    "azure-native:dbforpostgresql:Server": {},
    "azure-native:keyvault:Vault": {"properties.enablePurgeProtection": True},
})


def _flag_problems(inputs: Mapping[str, Any], flags: Mapping[str, Any]) -> Iterator[str]:
    for path, wanted in flags.items():
        actual = dig(inputs, path)
        # Absent means the provider default: safe for force-destroy/skip flags, unsafe otherwise.
        if actual != wanted and not (actual is None and wanted is False):
            yield f"{path} is {actual!r}, not {wanted!r}"


def check(resource: Resource, facts: StackFacts) -> Iterator[str]:
    flags = STORES.get(resource.type)
    if flags is None or facts.environment != Environment.PROD:
        return
    if not resource.protect:
        yield "a prod data store without Pulumi protect"
    if resource.retain_on_delete is False:
        yield "a prod data store without retain_on_delete"
    yield from _flag_problems(resource.inputs, flags)


RULE = Rule(
    id="unprotected-data-store", severity=Severity.MANDATORY,
    title="a prod data store (bucket, storage account, database, key) without protection",
    fixes={
        "aws": "create it with opts=scope.data(self); keep "
               "deletion_protection, a final snapshot and force_destroy=False",
        "gcp": "create it with opts=scope.data(self); keep "
               "deletion_protection and force_destroy=False",
        "azure": "create it with opts=scope.data(self); keep Key Vault "
                 "purge protection on",
    },
    clouds=STORES.clouds, check=check,
)
