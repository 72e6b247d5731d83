"""One pipeline session: what every stage's ``run(session)`` is given, and how a stage is run.

A session carries the parsed settings, the run log, the per-run options (ingest overlap, report
folder) and the database URLs, resolved once: on a laptop that means starting the embedded
server, which then lives as long as the session. The CLI and the demo build a session and run
the same stages through ``run_stage``, so a stage is logged, timed and failed one way.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from pipeline.result import StageResult
from pipeline.runlog import RunLog
from pipeline.settings import Settings, SettingsError

DEFAULT_OVERLAP = timedelta(seconds=5)


class Stage(Protocol):
    """What a session runs: a name for the log and ``run(session) -> StageResult``."""

    @property
    def name(self) -> str: ...

    def run(self, session: Session) -> StageResult: ...


class StageFailed(Exception):  # noqa: N818 - a control-flow signal, already logged
    """A stage failed and its failure line has been logged; carries the one-line message and
    the exit code the failure calls for."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Session:
    """Settings, run log, options and resolved URLs shared by the stages of one invocation.

    ``urls`` may be given (tests, benchmarks, a platform run resolves them from the settings);
    when it is not and the settings are local, the first use starts the embedded server.
    """

    settings: Settings
    log: RunLog | None = None
    overlap: timedelta = DEFAULT_OVERLAP
    out_dir: Path | None = None
    urls: tuple[str | None, str] | None = None
    debug: bool = False
    server: Any = field(default=None, repr=False)  # the embedded server, kept alive

    def __post_init__(self) -> None:
        if self.log is None:
            self.log = RunLog(self.settings.environment, log_format=self.settings.log_format)

    @classmethod
    def of(cls, settings: Settings, *, source_url: str | None = None,
           warehouse_url: str = "", **options: Any) -> Session:
        """A session over known URLs: what tests and benchmarks run a stage with."""
        return cls(settings, urls=(source_url, warehouse_url), **options)

    @property
    def run_log(self) -> RunLog:
        assert self.log is not None
        return self.log

    def resolve(self) -> tuple[str | None, str]:
        """(source URL, warehouse URL); starts the embedded server when running locally."""
        if self.urls is None:
            if self.settings.is_local:
                import warnings

                from pipeline import localdb

                # platformdirs warns about XDG_RUNTIME_DIR in containers; it is noise here.
                warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
                try:
                    local = localdb.start(self.settings.local_dir)
                except localdb.LocalServerError as exc:
                    raise StageFailed(str(exc)) from None
                self.server = local.server
                self.urls = (self.settings.source_url or local.source_url, local.warehouse_url)
            else:
                assert self.settings.warehouse is not None
                self.urls = (self.settings.source_url, self.settings.warehouse.conninfo())
        return self.urls

    @property
    def source_url(self) -> str | None:
        """The source database, or None when ingest reads exports (no server is started)."""
        if not self.settings.source.reads_database:
            return None
        return self.resolve()[0]

    @property
    def warehouse_url(self) -> str:
        return self.resolve()[1]

    @property
    def reports_dir(self) -> Path:
        return self.out_dir or self.settings.local_dir / "reports"

    def run_stage(self, stage: Stage) -> StageResult:
        """Run one stage: log its line, or log the failure and raise ``StageFailed``."""
        from pipeline import storage

        self.run_log.started(stage.name)
        started = time.perf_counter()
        try:
            with storage.using(self.settings.storage):
                result = stage.run(self)
        except (StageFailed, SettingsError):
            raise
        except Exception as exc:
            message = f"{stage.name} failed: {describe_error(exc, self, stage.name)}"
            exit_code = int(getattr(exc, "exit_code", 1))
            self.run_log.failed(stage.name, time.perf_counter() - started, message)
            if self.debug:
                raise
            _release(exc)
        else:
            self.run_log.stage(result)
            return result
        raise StageFailed(message, exit_code)


def _release(exc: BaseException | None) -> None:
    """Drop the failed stage's frames now, so what they hold (an open storage stream) is
    released before the error line is printed rather than at exit, after it."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = None
        exc = exc.__cause__ or exc.__context__
    gc.collect()


def describe_error(exc: BaseException, session: Session | None = None, stage: str = "") -> str:
    """One line naming what failed and where; the exception's class only when it adds meaning."""
    from pipeline.errors import PipelineError
    from pipeline.source.postgres import describe, first_line

    text = first_line(exc)
    if isinstance(exc, PipelineError):
        return text
    import psycopg

    from pipeline.pgcopy import AdbcOperationalError

    unreachable = isinstance(exc, psycopg.OperationalError | AdbcOperationalError)
    if unreachable and session is not None and stage in ("load", "report", "run") and \
            session.urls is not None:
        return f"cannot use warehouse {describe(session.urls[1])}: {text}"
    return f"{type(exc).__name__}: {text}"
