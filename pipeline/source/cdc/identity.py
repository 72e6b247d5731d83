"""When a table's replica identity is not enough, and the one fix to tell the user.

An update or delete is only usable if it says which row it touched: with ``REPLICA IDENTITY
DEFAULT`` that is the primary key, so a table without one (or with ``NOTHING``) cannot be
followed. Setup checks the catalog before creating anything and the decoder checks each Relation
message, and both name the same ``ALTER TABLE`` statement.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg import sql

from pipeline.errors import PipelineError
from pipeline.source.cdc.messages import ReplicaIdentity


class ReplicaIdentityError(PipelineError):
    """A published table's updates or deletes would not carry what the cdc source needs; like
    every missing prerequisite, a configuration fix (exit 2)."""

    exit_code = 2


def problem(schema: str, table: str, identity: ReplicaIdentity, has_key: bool) -> str | None:
    """The one-line error for this table, or None when its identity identifies rows."""
    if identity is ReplicaIdentity.FULL or identity is ReplicaIdentity.INDEX:
        return None
    if identity is ReplicaIdentity.DEFAULT and has_key:
        return None
    why = ("has REPLICA IDENTITY NOTHING" if identity is ReplicaIdentity.NOTHING
           else "has no primary key (REPLICA IDENTITY DEFAULT needs one)")
    return (f"table {schema}.{table} {why}, so its updates and deletes cannot be identified; "
            f"add a primary key or run: ALTER TABLE {schema}.{table} REPLICA IDENTITY FULL")


# One row per table: its replica identity and whether it has a primary key.
CATALOG_QUERY = """
SELECT n.nspname, c.relname, c.relreplident,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relname = ANY(%s) AND c.relkind IN ('r', 'p')
"""


# Why the cdc source asks for FULL on every table, not just an identity that names the row:
# only then does the server log the whole old row with each update and delete (TOASTed values
# flattened), so an unchanged TOASTed value is carried from the old row and a delete carries the
# deleted version's values, in every run, with nothing remembered between runs and nothing
# guessed. The cost is WAL: each update and delete also logs the old row.
WHY_FULL = ("the cdc source needs REPLICA IDENTITY FULL on every published table, so each "
            "update and delete carries the whole old row (unchanged TOASTed values, and the "
            "deleted row's last values)")


def not_full(conn: psycopg.Connection, schema: str, tables: Sequence[str]) -> list[str]:
    """The tables (of those that exist) whose replica identity is not FULL, in the given order."""
    rows = conn.execute(CATALOG_QUERY, (schema, list(tables))).fetchall()
    found = {name: ident for _, name, ident, _ in rows}
    return [t for t in tables if t in found and found[t] != ReplicaIdentity.FULL.value]


def full_statements(schema: str, tables: Sequence[str]) -> str:
    return "; ".join(f"ALTER TABLE {schema}.{t} REPLICA IDENTITY FULL" for t in tables)


def require_full(conn: psycopg.Connection, schema: str, tables: Sequence[str]) -> None:
    missing = not_full(conn, schema, tables)
    if missing:
        raise ReplicaIdentityError(
            f"{WHY_FULL}; {', '.join(missing)} {'has' if len(missing) == 1 else 'have'} "
            "another: run `pipeline cdc setup` as the tables' owner, or run: "
            f"{full_statements(schema, missing)}")


def make_full(conn: psycopg.Connection, schema: str, tables: Sequence[str]) -> list[str]:
    """Set FULL where it is missing (a brief ACCESS EXCLUSIVE lock per table); returns the
    tables changed. A role that does not own the tables gets the statements to hand over."""
    missing = not_full(conn, schema, tables)
    try:
        for table in missing:
            conn.execute(sql.SQL("ALTER TABLE {}.{} REPLICA IDENTITY FULL").format(
                sql.Identifier(schema), sql.Identifier(table)))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise ReplicaIdentityError(
            f"{WHY_FULL}; role {conn.info.user} may not change it "
            f"({str(exc).splitlines()[0]}): have the tables' owner run: "
            f"{full_statements(schema, missing)}") from None
    return missing
