"""What a source server needs for logical replication, per platform, and the check for it.

The setting and the grant differ by platform but the rule is one: ``wal_level`` must be
``logical`` and the role must be allowed to replicate. The rule is checked once here; only the
advice is translated per platform, so an operator sees exactly what to change where.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import psycopg

from pipeline.errors import PipelineError


class Platform(StrEnum):
    RDS = "aws-rds"
    CLOUD_SQL = "gcp-cloudsql"
    AZURE = "azure-flexible"
    EMBEDDED = "embedded"


@dataclass(frozen=True)
class Advice:
    wal: str      # how to get wal_level = logical
    grant: str    # how to give the pipeline's role the right to replicate


ADVICE: dict[Platform, Advice] = {
    Platform.RDS: Advice(
        wal="set rds.logical_replication = 1 in the instance's DB parameter group and reboot",
        grant="GRANT rds_replication TO <role>"),
    Platform.CLOUD_SQL: Advice(
        wal="set the database flag cloudsql.logical_decoding = on (the instance restarts)",
        grant="ALTER USER <role> WITH REPLICATION"),
    Platform.AZURE: Advice(
        wal="set the server parameter wal_level = logical and restart the server",
        grant="ALTER ROLE <role> WITH REPLICATION"),
    Platform.EMBEDDED: Advice(
        wal="ALTER SYSTEM SET wal_level = logical, then restart the embedded server",
        grant="the embedded server's postgres superuser already may"),
}


class PrerequisiteError(PipelineError):
    """The source server cannot do logical replication yet; the CLI exits 2 with this text."""

    exit_code = 2


def advice(what: str) -> str:
    return "; ".join(f"{p.value}: {getattr(a, what)}" for p, a in ADVICE.items())


_ROLE_MAY_REPLICATE = """
SELECT r.rolsuper OR r.rolreplication OR EXISTS (
    SELECT 1 FROM pg_roles g WHERE g.rolname = 'rds_replication'
    AND pg_has_role(current_user, g.oid, 'member'))
FROM pg_roles r WHERE r.rolname = current_user
"""


def check(conn: psycopg.Connection, *, need_slot: bool = True) -> None:
    """Raise ``PrerequisiteError`` naming every platform's fix for what the server lacks;
    a free slot is only needed when the slot is still to be created."""
    wal_level = str(conn.execute("SHOW wal_level").fetchone()[0])  # type: ignore[index]
    if wal_level != "logical":
        raise PrerequisiteError(
            f"the source has wal_level = {wal_level}; change data capture needs logical. "
            f"{advice('wal')}")
    row = conn.execute(_ROLE_MAY_REPLICATE).fetchone()
    if not (row and row[0]):
        user = conn.info.user
        raise PrerequisiteError(
            f"role {user} may not use replication; {advice('grant').replace('<role>', user)}")
    if not need_slot:
        return
    free = conn.execute(
        "SELECT current_setting('max_replication_slots')::int - count(*) "
        "FROM pg_replication_slots").fetchone()
    if free is not None and free[0] < 1:
        raise PrerequisiteError(
            "no free replication slot (max_replication_slots is used up): drop an unused slot "
            "or raise max_replication_slots (a restart is needed)")


def check_publication(conn: psycopg.Connection, publication: str, tables: list[str]) -> None:
    """The publication exists and publishes every table the source reads."""
    published = {r[0] for r in conn.execute(
        "SELECT tablename FROM pg_publication_tables WHERE pubname = %s AND schemaname = "
        "'public'", (publication,)).fetchall()}
    if not published and not conn.execute("SELECT 1 FROM pg_publication WHERE pubname = %s",
                                          (publication,)).fetchone():
        raise PrerequisiteError(f"publication {publication} not found on the source: run "
                                "`pipeline cdc setup`")
    missing = [t for t in tables if t not in published]
    if missing:
        raise PrerequisiteError(
            f"publication {publication} does not publish {', '.join(missing)}: run "
            f"ALTER PUBLICATION {publication} ADD TABLE {', '.join(missing)}")
