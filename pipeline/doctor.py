"""``pipeline doctor``: does a run have what it needs, here and now?

A run fails at the first thing missing, after it has started the embedded server or ingested a
batch; the doctor looks at everything a run touches, without changing data, and prints one line
per check with the fix, so an operator learns every problem in one go: the settings, the source
(reachable, holding the tables; for change data capture the server's replication prerequisites,
publication and slot), the warehouse (reachable, its schema at the pipeline's version), and the
raw and processed storage (a probe object written and deleted).

The line format follows ``tricloud doctor``; the checks are the pipeline's own, so nothing is
shared with it (the container ships without the ``tricloud`` package).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum

from pipeline.settings import (
    LANDING_URI,
    PROCESSED_URI,
    RAW_URI,
    SOURCE_URL,
    WAREHOUSE_HOST,
    Settings,
    SettingsError,
    SourceKind,
)


class Status(Enum):
    OK = "ok"
    WARN = "warn"  # a run will still work (and fix it), but the operator should know
    FAIL = "FAIL"
    SKIP = "skip"  # could not be checked because an earlier check failed


@dataclass(frozen=True)
class Check:
    """One check: what was looked at, what was found, and what to do when it is not ok."""

    name: str
    status: Status
    detail: str
    fix: str = ""
    more: tuple[str, ...] = ()  # further lines: every settings problem, one each

    def lines(self) -> list[str]:
        fix = f"; fix: {self.fix}" if self.status is not Status.OK and self.fix else ""
        head = f"{self.status.value:<4}  {self.name:<18} {self.detail}{fix}"
        return [head, *(f"{'':<24} - {m}" for m in self.more)]


class Failed(Exception):  # noqa: N818 - carries a finished check out of a helper
    def __init__(self, check: Check) -> None:
        super().__init__(check.detail)
        self.check = check


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- settings ---------------------------------------------------------------------------------

def settings_check(env: Mapping[str, str]) -> tuple[Check, Settings | None]:
    try:
        settings = Settings.from_env(env)
    except SettingsError as exc:
        n = len(exc.problems)
        return Check("settings", Status.FAIL, f"{n} problem{'s' if n > 1 else ''}",
                     "set or correct the variables below", more=exc.problems), None
    if settings.is_local:
        where = f"embedded local default under {settings.local_dir}"
    else:
        assert settings.warehouse is not None
        where = f"platform {settings.environment}, warehouse host {settings.warehouse.host}"
    return Check("settings", Status.OK, f"valid: {where}, source {settings.source.value}"), \
        settings


# -- source -----------------------------------------------------------------------------------

def _postgres_source(url: str, embedded: bool) -> Check:
    from pipeline.errors import PipelineError
    from pipeline.source.postgres import PostgresSource, describe
    from pipeline.source.tables import TABLES

    where = describe(url) + (" (embedded)" if embedded else "")
    try:
        with PostgresSource(url) as source:
            source.check(TABLES)
    except PipelineError as exc:
        text = _first_line(exc)
        if text.startswith("source tables") and all(t.name in text for t in TABLES):
            text = f"{where} holds none of the {len(TABLES)} source tables"
        if text.startswith("cannot connect"):
            return Check("source", Status.FAIL, text,
                         f"check {SOURCE_URL.name}: host, port, database, user, the password "
                         "in the secret, and the network path from the job to the database")
        fix = ("fill the embedded source with synthetic data (`pipeline seed`), or set "
               f"{SOURCE_URL.name} to your own database" if embedded else
               f"point {SOURCE_URL.name} at the OLTP database that holds the source tables")
        return Check("source", Status.FAIL, text, fix)
    return Check("source", Status.OK, f"{where} holds the {len(TABLES)} source tables")


def _exports_source(landing_uri: str) -> Check:
    from pipeline import storage
    from pipeline.errors import PipelineError

    try:
        files = storage.list_files(landing_uri) if storage.exists(landing_uri) else []
    except PipelineError as exc:
        return Check("source", Status.FAIL, _first_line(exc),
                     f"check {LANDING_URI.name} and the job's read access to it")
    waiting = f"{len(files)} export file{'' if len(files) == 1 else 's'}" if files else \
        "no export files yet (a run ingests nothing until some arrive)"
    return Check("source", Status.OK, f"exports at {landing_uri}: {waiting}")


def cdc_checks(url: str, slot: str = "tricloud", publication: str = "tricloud") -> list[Check]:
    """The server's replication prerequisites, then the publication and the slot."""
    import psycopg

    from pipeline.source.cdc import prerequisites

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            try:
                prerequisites.check(conn)
            except prerequisites.PrerequisiteError as exc:
                # "<what is wrong>. <each platform's fix>" or "<what is wrong>; <fixes>"
                text = str(exc)
                detail, _, fix = text.partition(". ") if ". " in text else text.partition("; ")
                return [Check("cdc prerequisites", Status.FAIL, detail, fix or text)]
            has_publication = conn.execute(
                "SELECT 1 FROM pg_publication WHERE pubname = %s", (publication,)).fetchone()
            found = conn.execute("SELECT plugin FROM pg_replication_slots WHERE slot_name = %s",
                                 (slot,)).fetchone()
    except psycopg.Error as exc:
        return [Check("cdc prerequisites", Status.FAIL, f"cannot check: {_first_line(exc)}",
                      f"check {SOURCE_URL.name}")]
    checks = [Check("cdc prerequisites", Status.OK,
                    "wal_level = logical, the role may replicate, a replication slot is free")]
    setup = "`pipeline cdc setup` creates the publication and the slot"
    if has_publication is None or found is None:
        missing = [what for what, there in ((f"publication {publication}", has_publication),
                                            (f"replication slot {slot}", found)) if not there]
        checks.append(Check("cdc slot", Status.FAIL, f"no {' and no '.join(missing)}", setup))
    elif found[0] != "pgoutput":
        checks.append(Check("cdc slot", Status.FAIL, f"slot {slot} uses plugin {found[0]}",
                            "drop it (`pipeline cdc drop`) and run `pipeline cdc setup`"))
    else:
        checks.append(Check("cdc slot", Status.OK,
                            f"publication {publication} and pgoutput slot {slot} exist"))
    return checks


# -- warehouse --------------------------------------------------------------------------------

def warehouse_check(url: str) -> Check:
    """Reachable, and its schema at this pipeline's migration version (or one a load can
    bring there)."""
    import psycopg

    from pipeline.source.postgres import describe
    from pipeline.warehouse.migrate import shipped

    where = describe(url)
    migrations = shipped()
    latest = migrations[-1]
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute(
                "SELECT to_regclass('warehouse.schema_migrations') IS NOT NULL").fetchone()
            applied: dict[int, str] = {}
            if exists and exists[0]:
                applied = dict(conn.execute(
                    "SELECT version, checksum FROM warehouse.schema_migrations").fetchall())
            row = conn.execute(
                "SELECT current_user, current_database(), "
                "has_database_privilege(current_database(), 'CREATE')").fetchone()
    except psycopg.Error as exc:
        return Check("warehouse", Status.FAIL, f"cannot connect to {where}: {_first_line(exc)}",
                     f"check the TRICLOUD_WAREHOUSE_* settings ({WAREHOUSE_HOST.name} and on), "
                     "the password in the secret, and the network path from the job")
    assert row is not None
    user, database, may_create = row
    edited = [m for m in migrations if m.version in applied and applied[m.version] != m.checksum]
    if edited:
        return Check("warehouse", Status.FAIL,
                     f"{where}: migration {edited[0].version} ({edited[0].name}) differs from "
                     "the one applied", "restore the shipped migration; add a new one instead")
    newer = max(applied, default=0)
    if newer > latest.version:
        return Check("warehouse", Status.FAIL,
                     f"{where} is at schema version {newer}, newer than this pipeline's "
                     f"{latest.version}", "deploy the pipeline image that matches the warehouse")
    pending = [m for m in migrations if m.version not in applied]
    if not pending:
        return Check("warehouse", Status.OK,
                     f"{where}, schema at version {latest.version} ({latest.name})")
    names = ", ".join(f"{m.version:04d}_{m.name}" for m in pending)
    detail = f"{where} is at schema version {newer} of {latest.version}"
    if not may_create and not applied:
        return Check("warehouse", Status.FAIL, detail,
                     f"the load creates the schema but role {user} may not create in database "
                     f"{database}: GRANT CREATE ON DATABASE {database} TO {user}")
    return Check("warehouse", Status.WARN,
                 f"{detail}; the next `pipeline load` (or run) applies {names} by itself")


# -- storage ----------------------------------------------------------------------------------

def storage_check(name: str, variable: str, uri: str) -> Check:
    """Write a small probe object at the zone's root and delete it again."""
    from pipeline import storage
    from pipeline.errors import PipelineError

    probe = storage.join(uri, f"_doctor-probe-{uuid.uuid4().hex}.json")
    try:
        storage.write_json(probe, {"written_by": "pipeline doctor"})
        storage.delete(probe)
    except PipelineError as exc:
        return Check(name, Status.FAIL, _first_line(exc),
                     f"check {variable} and that the job's identity may write and delete there")
    return Check(name, Status.OK, f"{uri} is writable (a probe object written and deleted)")


# -- all --------------------------------------------------------------------------------------

@contextmanager
def _resolved(settings: Settings) -> Iterator[tuple[str | None, str]]:
    """(source URL, warehouse URL); starting the embedded server when the settings are local."""
    from pipeline.session import Session, StageFailed

    session = Session(settings)
    try:
        yield session.resolve()
    except StageFailed as exc:
        raise Failed(Check("embedded server", Status.FAIL, str(exc),
                           "pip install -e '.[local]', or set TRICLOUD_WAREHOUSE_HOST and the "
                           "platform settings")) from None


def diagnose(env: Mapping[str, str]) -> Iterator[Check]:
    """Every check a run needs, in the order a run needs them; yielded as each finishes."""
    settings_result, settings = settings_check(env)
    yield settings_result
    if settings is None:
        for name in ("source", "warehouse", "raw storage", "processed storage"):
            yield Check(name, Status.SKIP, "not checked: the settings are not valid")
        return
    from pipeline import storage

    try:
        with _resolved(settings) as (source_url, warehouse_url), \
                storage.using(settings.storage):
            yield from _source_checks(settings, source_url)
            yield warehouse_check(warehouse_url)
            yield storage_check("raw storage", RAW_URI.name, settings.raw_uri)
            yield storage_check("processed storage", PROCESSED_URI.name, settings.processed_uri)
    except Failed as failed:
        yield failed.check


def _source_checks(settings: Settings, source_url: str | None) -> Iterator[Check]:
    if settings.source is SourceKind.EXPORTS:
        yield _exports_source(str(settings.landing_uri))
        return
    assert source_url is not None
    source = _postgres_source(source_url, embedded=settings.is_local and not
                              settings.source_url)
    yield source
    if settings.source is SourceKind.CDC and source.status is Status.OK:
        yield from cdc_checks(source_url, settings.cdc.slot, settings.cdc.publication)


def run(env: Mapping[str, str], write: Callable[[str], None]) -> int:
    """Print every check as it finishes and a verdict; 1 when any check failed."""
    failed = 0
    for check in diagnose(env):
        failed += check.status is Status.FAIL
        for line in check.lines():
            write(line)
    write(f"{failed} to fix before `pipeline run`" if failed else "ready to run")
    return 1 if failed else 0
