"""``pipeline cdc setup | status | drop``: the publication and slot a cdc source reads through.

Setup checks everything first (server settings, role, tables, replica identity) and only then
changes anything, so a source that cannot be followed is left untouched. It then sets REPLICA
IDENTITY FULL on the tables (``identity.WHY_FULL`` says why the cdc source needs it), creates
the publication and the slot. It is idempotent: an existing
publication or slot of the right kind is kept. The slot retains WAL on the source for as long as
it is not advanced, so ``status`` reports how far behind it is, in bytes and in time, and
``drop`` is the way to release that WAL when the cdc source is abandoned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from pipeline.errors import PipelineError
from pipeline.source.cdc import identity, prerequisites
from pipeline.source.cdc.lsn import parse_lsn
from pipeline.source.cdc.messages import Begin, ReplicaIdentity
from pipeline.source.cdc.slot import SlotReader
from pipeline.source.cdc.snapshot import check_slot_name
from pipeline.source.tables import TABLES, SourceTable

DEFAULT_NAME = "tricloud"


@dataclass(frozen=True)
class Names:
    slot: str = DEFAULT_NAME
    publication: str = DEFAULT_NAME

    def __post_init__(self) -> None:
        check_slot_name(self.slot)
        check_slot_name(self.publication)  # same rule keeps the publication_names option simple


@dataclass(frozen=True)
class SlotStatus:
    slot: str
    active_pid: int | None
    confirmed_lsn: int | None
    current_lsn: int
    lag_bytes: int
    retained_bytes: int
    oldest_pending: datetime | None   # commit time of the first unconfirmed transaction

    @property
    def lag_seconds(self) -> float:
        if self.oldest_pending is None:
            return 0.0
        return max(0.0, (datetime.now(UTC) - self.oldest_pending).total_seconds())


def check_tables(conn: psycopg.Connection, tables: Sequence[SourceTable], *,
                 identities: bool = True) -> None:
    """Every table exists, and (``identities``) each one's updates and deletes would identify
    their row."""
    rows = conn.execute(identity.CATALOG_QUERY, ("public", [t.name for t in tables])).fetchall()
    missing = sorted({t.name for t in tables} - {r[1] for r in rows})
    if missing:
        raise PipelineError(f"source tables not found: {', '.join(missing)}")
    if not identities:
        return
    for schema, table, ident, has_key in rows:
        problem = identity.problem(schema, table, ReplicaIdentity(ident), has_key)
        if problem:
            raise identity.ReplicaIdentityError(problem)


def setup(url: str, names: Names, tables: Sequence[SourceTable] = TABLES) -> list[str]:
    """Create what is missing; returns one line per thing done or found."""
    done: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_replication_slots WHERE slot_name = %s",
                              (names.slot,)).fetchone() is not None
        prerequisites.check(conn, need_slot=not exists)
        check_tables(conn, tables, identities=False)  # FULL identifies a row without a key
        changed = identity.make_full(conn, "public", [t.name for t in tables])
        done.append(f"replica identity FULL set on {', '.join(changed)}" if changed
                    else "replica identity FULL already on every table")
        if conn.execute("SELECT 1 FROM pg_publication WHERE pubname = %s",
                        (names.publication,)).fetchone():
            done.append(f"publication {names.publication} exists")
        else:
            conn.execute(sql.SQL("CREATE PUBLICATION {} FOR TABLE {}").format(
                sql.Identifier(names.publication),
                sql.SQL(", ").join(sql.Identifier(t.name) for t in tables)))
            done.append(f"publication {names.publication} created for {len(tables)} tables")
        slot = conn.execute("SELECT plugin, database FROM pg_replication_slots "
                            "WHERE slot_name = %s", (names.slot,)).fetchone()
        if slot is None:
            conn.execute("SELECT pg_create_logical_replication_slot(%s, 'pgoutput')",
                         (names.slot,))
            done.append(f"replication slot {names.slot} created (pgoutput)")
        elif slot != ("pgoutput", conn.info.dbname):
            raise PipelineError(f"replication slot {names.slot} exists for plugin {slot[0]} on "
                                f"database {slot[1]}: drop it or choose another --slot")
        else:
            done.append(f"replication slot {names.slot} exists")
    return done


def status(url: str, names: Names) -> SlotStatus | None:
    """The slot's position and lag, or None if there is no such slot."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT active_pid, confirmed_flush_lsn::text, pg_current_wal_lsn()::text, "
            "pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, "
            "pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint "
            "FROM pg_replication_slots WHERE slot_name = %s", (names.slot,)).fetchone()
        if row is None:
            return None
        pid, confirmed, current, lag, retained = row
        oldest = None
        if pid is None:  # an active slot cannot be peeked; its consumer owns the lag
            reader = SlotReader(conn, names.slot, names.publication)
            oldest = next((m.commit_time for m in reader.messages(upto_changes=1)
                           if isinstance(m, Begin)), None)
    return SlotStatus(slot=names.slot, active_pid=pid,
                      confirmed_lsn=parse_lsn(confirmed) if confirmed else None,
                      current_lsn=parse_lsn(current), lag_bytes=int(lag or 0),
                      retained_bytes=int(retained or 0), oldest_pending=oldest)


def drop(url: str, names: Names) -> list[str]:
    """Drop the slot (releasing its WAL) and the publication; missing ones are not an error."""
    done: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            dropped = conn.execute(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                "WHERE slot_name = %s", (names.slot,)).fetchall()
        except psycopg.errors.ObjectInUse as exc:
            raise PipelineError(f"replication slot {names.slot} is in use: "
                                f"{str(exc).splitlines()[0]}; stop its consumer first") from None
        done.append(f"replication slot {names.slot} " + ("dropped" if dropped else "not found"))
        conn.execute(sql.SQL("DROP PUBLICATION IF EXISTS {}").format(
            sql.Identifier(names.publication)))
        done.append(f"publication {names.publication} dropped (if it existed)")
    return done
