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
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from pipeline.session import Session, StageFailed, describe_error
from pipeline.settings import LogFormat, SettingsError

EXIT_FAILED = 1
EXIT_USAGE = 2


def report_error(message: str) -> None:
    """The last line of a failed command, with any credential the message quotes masked."""
    from pipeline.redact import redact

    print(f"pipeline: error: {redact(message)}", file=sys.stderr)


# -- commands ---------------------------------------------------------------------------------

def preflight(session: Session) -> None:
    """Before `run` writes anything, make sure the warehouse answers (fail fast, lose nothing)."""
    import psycopg

    from pipeline.source.postgres import describe, first_line

    url = session.warehouse_url
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.Error as exc:
        message = f"cannot connect to warehouse {describe(url)}: {first_line(exc)}"
        session.run_log.failed("run", 0.0, message)
        raise StageFailed(message) from None


def cmd_run(session: Session) -> None:
    from pipeline.stages import run_stages

    preflight(session)
    run_stages(session)


def cmd_stage(session: Session, name: str) -> None:
    """One stage; when it had nothing to do, say which command gives it something."""
    from pipeline.stages import STAGES_BY_NAME

    result = session.run_stage(STAGES_BY_NAME[name])
    if result.details.get("next"):
        print(f"pipeline: {result.details['next']}", file=sys.stderr)


def cmd_seed(session: Session, orders: int, seed: int, bad_rows: bool) -> None:
    from pipeline.demo import SeedStage

    if not session.source_url:
        raise SettingsError("TRICLOUD_SOURCE_URL is not set: no source database to seed")
    session.run_stage(SeedStage(orders, seed, bad_rows=bad_rows))


def cmd_cdc(session: Session, args: argparse.Namespace) -> int:
    from pipeline.errors import PipelineError
    from pipeline.source.cdc import commands, operations

    try:
        cdc = session.settings.cdc
        names = operations.Names(slot=args.slot or cdc.slot,
                                 publication=args.publication or cdc.publication)
    except PipelineError as exc:
        raise SettingsError(str(exc)) from None
    # A given source URL is used as is: no need to start the embedded server for it.
    source_url = session.settings.source_url or session.resolve()[0]
    if not source_url:
        raise SettingsError("TRICLOUD_SOURCE_URL is not set: no source database to follow")
    return commands.run(args.cdc_action, source_url, names)


# -- argument parsing -------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    # The global options are accepted before and after the command (`pipeline run --debug`);
    # after it they default to "not given", so they do not undo the ones given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks on failure")
    common.add_argument("--log-format", choices=[f.value for f in LogFormat],
                        default=argparse.SUPPRESS,
                        help="progress on stderr: readable lines (text) or JSON lines (json); "
                             "default auto: text on a terminal, JSON off one "
                             "(also TRICLOUD_LOG_FORMAT)")
    parser = argparse.ArgumentParser(
        prog="pipeline", description="tricloud ETL: ingest, transform, load, report.",
        parents=[common])
    parser.set_defaults(debug=False, log_format=None)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], **kwargs)

    def overlap(p: argparse.ArgumentParser) -> None:
        p.add_argument("--overlap-seconds", type=float, default=5.0, metavar="S",
                       help="re-read rows this much older than the watermark (default 5)")

    def out(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="where the report's CSV/HTML go (default <local dir>/reports)")

    overlap(p := command("run", help="ingest, transform, load and report"))
    out(p)
    overlap(command("ingest", help="copy new and changed source rows to the raw zone"))
    command("transform", help="raw zone to star schema, quarantining bad rows")
    command("load", help="load processed batches into the warehouse")
    command("rebuild-state",
                   help="recompute the transform's compacted state from the raw history")
    out(command("report", help="print the dashboard report and write CSV/HTML"))
    p = command("seed", help="fill the source database with synthetic data")
    p.add_argument("--orders", type=int, default=2000, help="sales orders (default 2000)")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--bad-rows", action="store_true", help="add rule-breaking rows")
    p = command("demo", help="embedded end-to-end demo: seed, run, change, run again")
    p.add_argument("--orders", type=int, default=2000, help="sales orders (default 2000)")
    p.add_argument("--dir", type=Path, default=None,
                   help="demo folder (default: <local dir>/demo, the demo's own)")
    p.add_argument("--reset", action="store_true",
                   help="let the demo delete the data of earlier runs in --dir")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--no-bad-rows", action="store_true",
                   help="do not add rule-breaking rows before the second run")
    out(p)
    command("doctor", help="check what a run needs: settings, source, warehouse, storage")
    p = command("cdc", help="change data capture: the source's publication and slot")
    p.add_argument("cdc_action", choices=("setup", "status", "drop"), metavar="ACTION",
                   help="setup (check the source, create publication and slot), status "
                        "(slot lag), drop (release the slot's WAL)")
    p.add_argument("--slot", default=None,
                   help="replication slot (default: TRICLOUD_CDC_SLOT, else tricloud)")
    p.add_argument("--publication", default=None,
                   help="publication (default: TRICLOUD_CDC_PUBLICATION, else tricloud)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run, and map failures to one line and an exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "doctor":  # reports bad settings as one of its checks
        from pipeline import doctor

        return doctor.run(os.environ, lambda line: print(line, flush=True))
    from pipeline.runlog import RunLog
    from pipeline.settings import Settings

    try:
        settings = Settings.from_env(os.environ)
        if args.log_format:
            settings = replace(settings, log_format=LogFormat(args.log_format))
        if getattr(args, "orders", 1) < 1:
            raise SettingsError(f"--orders must be at least 1, got {args.orders}")
        if getattr(args, "overlap_seconds", 0.0) < 0:
            raise SettingsError("--overlap-seconds must not be negative")
        if args.command == "demo":
            from pipeline.demo import run_demo

            return run_demo(settings, args)
        session = Session(settings, RunLog(settings.environment, log_format=settings.log_format),
                          overlap=timedelta(seconds=getattr(args, "overlap_seconds", 5.0)),
                          out_dir=getattr(args, "out", None), debug=args.debug)
        if args.command == "cdc":
            return cmd_cdc(session, args)
        if args.command == "run":
            cmd_run(session)
        elif args.command == "seed":
            cmd_seed(session, args.orders, args.seed, args.bad_rows)
        else:
            cmd_stage(session, args.command)
    except SettingsError as exc:
        report_error(str(exc))
        return EXIT_USAGE
    except StageFailed as exc:
        report_error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        print("pipeline: interrupted; nothing was committed after the last completed stage",
              file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        report_error(describe_error(exc))
        return EXIT_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main())
