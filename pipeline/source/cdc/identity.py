"""When a table's replica identity is not enough, and the one fix to tell the user.

An update or delete is only usable if it says which row it touched: with ``REPLICA IDENTITY
DEFAULT`` that is the primary key, so a table without one (or with ``NOTHING``) cannot be
followed. Setup checks the catalog before creating anything and the decoder checks each Relation
message, and both name the same ``ALTER TABLE`` statement.
"""

from __future__ import annotations

from pipeline.errors import PipelineError
from pipeline.source.cdc.messages import ReplicaIdentity


class ReplicaIdentityError(PipelineError):
    """A published table's updates or deletes would not identify their row."""


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
