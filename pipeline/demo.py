"""``pipeline demo`` and ``pipeline seed``: the laptop story end to end on the embedded server.

The demo seeds a fresh source, runs every stage, changes the source the way a day of business
would (edits, new orders, optionally a few rule-breaking rows), runs again and prints the
report, so incremental ingest, fact history and the quarantine are all visible in one command.
"""

from __future__ import annotations

import argparse
import shutil
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.runlog import RunLog
from pipeline.session import Session, Stage
from pipeline.settings import Settings, SettingsError
from pipeline.stages import STAGES, StageResult, run_stages

ProgressBar = Callable[[str, int | None], AbstractContextManager[Callable[[int], None]]]


def seed_source(source_url: str, orders: int, seed: int, *, bad_rows: bool = False,
                progress: ProgressBar | None = None) -> StageResult:
    """(Re)create and fill the source database; returns a StageResult for the run log."""
    import psycopg

    from pipeline import runlog
    from pipeline.source import generator, mutate

    started = time.perf_counter()
    with psycopg.connect(source_url) as conn:
        with (progress or runlog.progress)("seed source", None) as advance:
            counts = generator.generate(conn, seed, orders, on_rows=advance)
        if bad_rows:
            for name, n in mutate.insert_rule_breakers(conn).items():
                counts[name] += n
    total = sum(counts.values())
    return StageResult(stage="seed", rows_in=0, rows_out=total,
                       seconds=time.perf_counter() - started, details={"tables": counts})


@dataclass(frozen=True)
class SeedStage:
    """``pipeline seed`` as a stage, so it is logged and failed like the others."""

    orders: int
    seed: int
    bad_rows: bool = False
    name: str = "seed"

    def run(self, session: Session) -> StageResult:
        return seed_source(str(session.source_url), self.orders, self.seed,
                           bad_rows=self.bad_rows, progress=session.run_log.progress)


def _say(text: str) -> None:
    print(text, flush=True)


# Written into a folder the demo owns: only such a folder (or an empty one) is started afresh.
DEMO_MARKER = ".tricloud-demo"
_DATA = ("raw", "processed", "reports", "pg")


class DemoFolderError(SettingsError):
    """The demo would delete data it did not make."""


def claim_folder(folder: Path, *, reset: bool) -> None:
    """Make ``folder`` the demo's: refuse one holding other pipeline data unless ``reset``.

    The demo starts from an empty source and warehouse, so it deletes what the folder holds;
    without this check ``pipeline demo --dir`` pointed at a folder of real runs would erase
    their raw batches and warehouse without a word.
    """
    held = sorted(n for n in _DATA if (folder / n).exists())
    if held and not (folder / DEMO_MARKER).exists() and not reset:
        raise DemoFolderError(
            f"{folder} holds data of earlier pipeline runs ({', '.join(held)}); the demo starts "
            "from scratch and would delete it: give the demo its own folder with --dir, or "
            "pass --reset to delete that data")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_MARKER).write_text("made by `pipeline demo`; it starts this folder afresh\n",
                                      encoding="utf-8")


def _fresh_folder(settings: Settings) -> None:
    """Forget earlier demo runs in this folder: raw, processed and reports start empty."""
    for name in ("raw", "processed", "reports"):
        shutil.rmtree(settings.local_dir / name, ignore_errors=True)


def _fresh_warehouse(server: Any) -> None:
    import psycopg

    from pipeline.localdb import WAREHOUSE_DB

    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{WAREHOUSE_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{WAREHOUSE_DB}"')


def _history(warehouse_url: str) -> str | None:
    """How many orders now have more than one version in the fact table, if it exists."""
    import psycopg

    try:
        with psycopg.connect(warehouse_url) as conn:
            row = conn.execute(
                "SELECT count(*), count(DISTINCT sales_order_id) FROM warehouse.fact_sales_order"
            ).fetchone()
    except psycopg.Error:
        return None
    if row is None:
        return None
    return (f"fact_sales_order holds {row[0]} versions of {row[1]} orders "
            f"({row[0] - row[1]} earlier versions kept as history)")


def run_demo(env_settings: Settings, args: argparse.Namespace) -> int:
    """The whole demo; returns the exit code (failures surface through the CLI's handlers)."""
    import psycopg

    from pipeline.source import mutate

    folder: Path = (args.dir or env_settings.local_dir / "demo").resolve()
    claim_folder(folder, reset=args.reset)
    settings = replace(Settings.local(folder), environment="demo")
    session = Session(settings, RunLog("demo", log_format=env_settings.log_format),
                      out_dir=args.out, debug=args.debug)
    _fresh_folder(settings)
    source_url, warehouse_url = session.resolve()
    _fresh_warehouse(session.server)
    _say(f"tricloud demo in {folder} (embedded PostgreSQL, run id {session.run_log.run_id})")

    seeded = session.run_stage(SeedStage(args.orders, args.seed))
    _say(f"1. seeded the source with {seeded.rows_out} rows "
         f"({seeded.details['tables']['sales_order']} sales orders)")
    first = _pipeline(session, "2. first run", STAGES[:-1])
    with psycopg.connect(str(source_url)) as conn:
        changed = mutate.mutate(conn, args.seed)
        if not args.no_bad_rows:
            bad = mutate.insert_rule_breakers(conn)
            for name, n in bad.items():
                changed[name] = changed.get(name, 0) + n
    _say(f"3. changed the source: {sum(changed.values())} rows edited or added "
         f"({', '.join(f'{t} {n}' for t, n in sorted(changed.items()))})"
         + ("" if args.no_bad_rows else ", including 5 rule-breaking rows"))
    second = _pipeline(session, "4. second run (incremental)", STAGES)
    _say(f"   ingest read {second['ingest'].rows_out} rows this time, "
         f"{first['ingest'].rows_out} the first time")
    history = _history(warehouse_url)
    if history:
        _say(f"   {history}")
    _say(f"report files: {session.reports_dir}")
    return 0


def _pipeline(session: Session, title: str, stages: Sequence[Stage]) -> dict[str, StageResult]:
    """One pipeline run over the CLI's own stages, with a short human line per stage."""
    _say(title)

    def line(result: StageResult) -> None:
        _say(f"   {result.stage:<9} in {result.rows_in:>8}  out {result.rows_out:>8}  "
             f"quarantined {result.quarantined:>4}  {result.seconds:6.2f}s")

    # On a terminal the run log's own readable lines say the same: print them once.
    return run_stages(session, stages, on_result=None if session.run_log.readable else line)
