"""``pipeline``: the container's entry point and the laptop's demo.

Settings are parsed once, here, from the environment and flags. Heavy modules (pyarrow, psycopg,
the stages) are imported inside the commands so ``pipeline --help`` is instant. Every failure
becomes one line on stderr and an exit code: 2 for bad settings or usage, 1 for a runtime
failure; tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.settings import SettingsError

if TYPE_CHECKING:
    from pipeline.runlog import RunLog
    from pipeline.settings import Settings
    from pipeline.stages import StageResult

EXIT_FAILED = 1
EXIT_USAGE = 2


class StageFailed(Exception):  # noqa: N818 - a control-flow signal, already logged
    """A stage failed and its failure line has been logged; carries the one-line message."""


@dataclass
class Context:
    """What the commands share: settings, the run log and the resolved database URLs."""

    settings: Settings
    log: RunLog
    overlap_seconds: float = 5.0
    out_dir: Path | None = None
    _urls: tuple[str | None, str] | None = None
    _keep: list[Any] = field(default_factory=list)  # the local server lives as long as we do

    def urls(self) -> tuple[str | None, str]:
        """(source URL, warehouse URL); starts the embedded server when running locally."""
        if self._urls is None:
            if self.settings.is_local:
                import warnings

                from pipeline import localdb

                # platformdirs warns about XDG_RUNTIME_DIR in containers; it is noise here.
                warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
                try:
                    local = localdb.start(self.settings.local_dir)
                except localdb.LocalServerError as exc:
                    raise StageFailed(str(exc)) from None
                self._keep.append(local.server)
                self._urls = (self.settings.source_url or local.source_url, local.warehouse_url)
            else:
                assert self.settings.warehouse is not None
                self._urls = (self.settings.source_url, self.settings.warehouse.conninfo())
        return self._urls

    @property
    def reports_dir(self) -> Path:
        return self.out_dir or self.settings.local_dir / "reports"

    def stage(self, name: str, fn: Callable[[], StageResult]) -> StageResult:
        """Run one stage: log its line, or log the failure and raise ``StageFailed``."""
        from pipeline import storage

        started = time.perf_counter()
        try:
            with storage.using(self.settings.storage):
                result = fn()
        except (StageFailed, SettingsError):
            raise
        except Exception as exc:
            message = f"{name} failed: {describe_error(exc, self, name)}"
            if DEBUG:
                self.log.failed(name, time.perf_counter() - started, message)
                raise
        else:
            self.log.stage(result)
            return result
        release_failed_work()
        self.log.failed(name, time.perf_counter() - started, message)
        raise StageFailed(message)


DEBUG = False


def report_error(message: str) -> None:
    """The last line of a failed command, with any credential the message quotes masked."""
    from pipeline.redact import redact

    print(f"pipeline: error: {redact(message)}", file=sys.stderr)


def release_failed_work() -> None:
    """Destroy what a failed stage left behind before its failure is reported.

    The stage's traceback holds its frames, and they hold whatever was open when it failed
    (storage streams, writer threads' results, connections). Libraries close such objects from
    their destructors and some print while doing so (Arrow does, on stderr). Called once the
    exception is gone, a collection runs those destructors now, so the error line stays last.
    """
    import gc

    gc.collect()


def describe_error(exc: BaseException, ctx: Context | None = None, stage: str = "") -> str:
    """One line naming what failed and where; the exception's class only when it adds meaning."""
    from pipeline.errors import PipelineError
    from pipeline.source.postgres import describe, first_line

    text = first_line(exc)
    if isinstance(exc, PipelineError):
        return text
    import psycopg

    if isinstance(exc, psycopg.OperationalError) and ctx is not None and \
            stage in ("load", "report", "run") and ctx._urls is not None:
        return f"cannot use warehouse {describe(ctx._urls[1])}: {text}"
    return f"{type(exc).__name__}: {text}"


# -- commands ---------------------------------------------------------------------------------

def cmd_ingest(ctx: Context) -> None:
    from datetime import timedelta

    from pipeline import ingest

    source_url = ctx.urls()[0] if ctx.settings.source.value == "postgres" else None
    ctx.stage("ingest", lambda: ingest.run(ctx.settings, source_url,
                                           overlap=timedelta(seconds=ctx.overlap_seconds)))


def cmd_transform(ctx: Context) -> None:
    from pipeline import transform

    ctx.stage("transform", lambda: transform.run(ctx.settings))


def cmd_load(ctx: Context) -> None:
    from pipeline.warehouse import load

    warehouse_url = ctx.urls()[1]
    ctx.stage("load", lambda: load.run(ctx.settings, warehouse_url))


def cmd_report(ctx: Context) -> None:
    from pipeline import report

    warehouse_url = ctx.urls()[1]
    ctx.stage("report", lambda: report.run(ctx.settings, warehouse_url, ctx.reports_dir))


def preflight(ctx: Context) -> None:
    """Before `run` writes anything, make sure the warehouse answers (fail fast, lose nothing)."""
    import psycopg

    from pipeline.source.postgres import describe, first_line

    url = ctx.urls()[1]
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as exc:
        message = f"cannot connect to warehouse {describe(url)}: {first_line(exc)}"
        ctx.log.failed("run", 0.0, message)
        raise StageFailed(message) from None


def cmd_run(ctx: Context) -> None:
    preflight(ctx)
    status = "failed"
    try:
        for step in (cmd_ingest, cmd_transform, cmd_load, cmd_report):
            step(ctx)
        status = "ok"
    finally:
        ctx.log.summary(status)


def cmd_seed(ctx: Context, orders: int, seed: int, bad_rows: bool) -> None:
    from pipeline.demo import seed_source

    source_url = ctx.urls()[0]
    if not source_url:
        raise SettingsError("TRICLOUD_SOURCE_URL is not set: no source database to seed")
    ctx.stage("seed", lambda: seed_source(source_url, orders, seed, bad_rows=bad_rows))


# -- argument parsing -------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipeline", description="tricloud ETL: ingest, transform, load, report.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on failure")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def overlap(p: argparse.ArgumentParser) -> None:
        p.add_argument("--overlap-seconds", type=float, default=5.0, metavar="S",
                       help="re-read rows this much older than the watermark (default 5)")

    def out(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="where the report's CSV/HTML go (default <local dir>/reports)")

    overlap(p := sub.add_parser("run", help="ingest, transform, load and report"))
    out(p)
    overlap(sub.add_parser("ingest", help="copy new and changed source rows to the raw zone"))
    sub.add_parser("transform", help="raw zone to star schema, quarantining bad rows")
    sub.add_parser("load", help="load processed batches into the warehouse")
    out(sub.add_parser("report", help="print the dashboard report and write CSV/HTML"))
    p = sub.add_parser("seed", help="fill the source database with synthetic data")
    p.add_argument("--orders", type=int, default=2000, help="sales orders (default 2000)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--bad-rows", action="store_true", help="add rule-breaking rows")
    p = sub.add_parser("demo", help="embedded end-to-end demo: seed, run, change, run again")
    p.add_argument("--orders", type=int, default=2000, help="sales orders (default 2000)")
    p.add_argument("--dir", type=Path, default=None, help="demo folder (default: local dir)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--no-bad-rows", action="store_true",
                   help="do not add rule-breaking rows before the second run")
    out(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run, and map failures to one line and an exit code."""
    global DEBUG
    args = build_parser().parse_args(argv)
    DEBUG = args.debug
    from pipeline.runlog import RunLog
    from pipeline.settings import Settings

    try:
        settings = Settings.from_env(os.environ)
        if getattr(args, "orders", 1) < 1:
            raise SettingsError(f"--orders must be at least 1, got {args.orders}")
        if getattr(args, "overlap_seconds", 0.0) < 0:
            raise SettingsError("--overlap-seconds must not be negative")
        if args.command == "demo":
            from pipeline.demo import run_demo

            return run_demo(settings, args)
        ctx = Context(settings, RunLog(settings.environment),
                      overlap_seconds=getattr(args, "overlap_seconds", 5.0),
                      out_dir=getattr(args, "out", None))
        commands: dict[str, Callable[[], None]] = {
            "run": lambda: cmd_run(ctx), "ingest": lambda: cmd_ingest(ctx),
            "transform": lambda: cmd_transform(ctx), "load": lambda: cmd_load(ctx),
            "report": lambda: cmd_report(ctx),
            "seed": lambda: cmd_seed(ctx, args.orders, args.seed, args.bad_rows)}
        commands[args.command]()
    except SettingsError as exc:
        report_error(str(exc))
        return EXIT_USAGE
    except StageFailed as exc:
        report_error(str(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("pipeline: interrupted; nothing was committed after the last completed stage",
              file=sys.stderr)
        return 130
    except Exception as exc:
        if DEBUG:
            raise
        report_error(describe_error(exc))
        return EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
