"""Versioned, idempotent migrations of the ``warehouse`` schema.

Each ``migrations/NNNN_name.sql`` runs once, in its own transaction together with its row in
``warehouse.schema_migrations``, under an advisory lock so two jobs starting at once do not
race. A migration's checksum is recorded; editing an applied migration is an error, because
the warehouse would silently differ from a fresh one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import psycopg

MIGRATE_LOCK = 7_311_001  # pg_advisory_lock key: "tricloud warehouse migrate"

BOOTSTRAP = """
CREATE SCHEMA IF NOT EXISTS warehouse;
CREATE TABLE IF NOT EXISTS warehouse.schema_migrations (
    version int PRIMARY KEY,
    name varchar NOT NULL,
    checksum varchar NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
"""


class MigrationError(RuntimeError):
    """The warehouse's applied migrations disagree with the shipped ones."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def shipped() -> list[Migration]:
    """The migrations packaged with this version of the pipeline, in version order."""
    folder = resources.files("pipeline.warehouse").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version, _, rest = entry.name.partition("_")
            found.append(Migration(int(version), rest.removesuffix(".sql"), entry.read_text()))
    return sorted(found, key=lambda m: m.version)


def migrate(conn: psycopg.Connection) -> list[int]:
    """Bring the schema up to date; returns the versions applied now (empty when current)."""
    applied_now: list[int] = []
    conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
    try:
        with conn.transaction():
            conn.execute(BOOTSTRAP)
        done = dict(conn.execute(
            "SELECT version, checksum FROM warehouse.schema_migrations").fetchall())
        for m in shipped():
            if m.version in done:
                if done[m.version] != m.checksum:
                    raise MigrationError(
                        f"migration {m.version} ({m.name}) was edited after it was applied; "
                        "add a new migration instead")
                continue
            with conn.transaction():
                conn.execute(m.sql)
                conn.execute(
                    "INSERT INTO warehouse.schema_migrations (version, name, checksum) "
                    "VALUES (%s, %s, %s)", (m.version, m.name, m.checksum))
            applied_now.append(m.version)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))
    return applied_now
