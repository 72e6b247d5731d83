"""One measured step, run in its own process: ``python -m benchmarks.stage <step> [options]``.

Each step runs in a fresh interpreter so its peak resident memory (``ru_maxrss`` of the process
itself) belongs to that step alone and no cache survives from the step before. The last line
on stdout is one JSON object: ``seconds`` (wall time of the work, not of interpreter start-up),
``rows``, ``peak_rss_mb`` and step details. The PostgreSQL server is a separate process and is
not part of any figure here. With ``--memory-gb`` a step that runs out of that much address
space still ends cleanly, with ``out_of_memory`` set, so one size too big for a step does not
lose the figures of every other step.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.layout import SizeDirs

Step = Callable[[argparse.Namespace, SizeDirs], dict[str, Any]]


def _peak_rss_mb() -> float:
    """The step's own peak resident memory since it started (``VmHWM``).

    Not ``ru_maxrss``: Linux carries a parent's resident size at ``fork`` into its child's
    ``ru_maxrss`` across ``exec``, so every step would read at least the runner's size (and,
    under pytest, the test process's). A child of the step (the bare COPY's psql) is not
    counted: it is the C client, whose buffer is one row.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def step_seed(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    import psycopg

    from pipeline.source import generator

    with psycopg.connect(args.source_url) as conn:
        counts = generator.generate(conn, args.seed, args.orders)
    return {"rows": sum(counts.values()), "tables": counts}


def step_mutate(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    import psycopg

    from pipeline.source import mutate

    with psycopg.connect(args.source_url) as conn:
        counts = mutate.mutate(conn, args.seed, update_fraction=0.001, new_orders=10_000)
    return {"rows": sum(counts.values()), "tables": counts}


# The fixed change, the same at every size: orders updated, orders added, a design renamed.
FIXED_UPDATES, FIXED_NEW_ORDERS = 3_000, 1_000


def step_change(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    """A change of fixed size on top of any history, to show what a run costs per change."""
    import psycopg

    from pipeline.source import mutate

    with psycopg.connect(args.source_url) as conn:
        orders = conn.execute("SELECT max(sales_order_id) FROM sales_order").fetchone()
        fraction = FIXED_UPDATES / max(1, orders[0] if orders else 1)
        counts = mutate.mutate(conn, args.seed + 1, update_fraction=fraction,
                               new_orders=FIXED_NEW_ORDERS)
        conn.execute("UPDATE design SET design_name = design_name || ' (renamed)', "
                     "last_updated = (SELECT max(last_updated) FROM sales_order) "
                     "WHERE design_id = 1")
        conn.commit()
    counts["design"] = counts.get("design", 0) + 1
    return {"rows": sum(counts.values()), "tables": counts}


def step_ingest(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from pipeline import ingest
    from pipeline.session import Session

    result = ingest.run(Session.of(dirs.settings(), source_url=args.source_url))
    return {"rows": result.rows_out, "batch_id": result.details["batch_id"]}


def step_transform(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from pipeline import transform
    from pipeline.session import Session

    result = transform.run(Session.of(dirs.settings()))
    return {"rows": result.details["rows_read"], "rows_out": result.rows_out,
            "quarantined": result.quarantined, "batches": result.details["batches"]}


def step_load(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from pipeline.session import Session
    from pipeline.warehouse import load

    result = load.run(Session.of(dirs.settings(), warehouse_url=args.warehouse_url))
    return {"rows": result.rows_out, "batches": result.details["batches"]}


def step_read(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    """The transform's floor: what the next transform reads (pending raw batches and the
    state), every column, nothing computed."""
    from benchmarks import bare

    return bare.read_inputs(dirs)


def step_bare_ingest(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    """The ingest's floor: the rows it read, by binary COPY into /dev/null."""
    from benchmarks import bare
    from pipeline import raw
    from pipeline.session import DEFAULT_OVERLAP

    since = raw.read_watermarks(dirs.before.resolve().as_uri())
    return bare.copy_out(Path(args.psql), args.source_url, since, DEFAULT_OVERLAP)


def step_bare_load(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    """The load's floor: the last batch's rows by binary COPY into unindexed tables."""
    from benchmarks import bare

    return bare.copy_in(args.warehouse_url, dirs, dirs.last_processed_batch())


def step_cdc_snapshot(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from benchmarks import cdc

    return cdc.snapshot(args.source_url, dirs)


def step_cdc_arm(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from benchmarks import cdc

    return cdc.arm(args.source_url)


def step_cdc_drain(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from benchmarks import cdc

    return cdc.drain(args.source_url, dirs)


def step_cdc_drop(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from benchmarks import cdc

    return cdc.drop(args.source_url)


def step_reference(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from benchmarks import pandas_reference

    counts = pandas_reference.run(dirs.raw, dirs.reference)
    return {"rows": counts["rows_read"], "outputs": counts["outputs"]}


def step_compare(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from benchmarks import compare

    batches = dirs.processed_batches()
    dirs.last_processed_batch()  # fails clearly when there is none
    differences = compare.compare_dirs([dirs.processed_batch(b) for b in batches],
                                       dirs.reference)
    batch = batches[-1]
    return {"rows": 0, "batch": batch, "equal": not differences, "differences": differences}


def step_copy(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from benchmarks import loadcmp

    return loadcmp.load_with_copy(args.warehouse_url, dirs.load_sample(args.rows),
                                  dirs.root / "loadcmp")


def step_to_sql(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from benchmarks import loadcmp

    return loadcmp.load_with_to_sql(args.warehouse_url, dirs.load_sample(args.rows))


def step_synth(args: argparse.Namespace, dirs: SizeDirs) -> dict[str, Any]:
    from benchmarks import plancost

    return plancost.synthesise(Path(args.stack))


STEPS: dict[str, Step] = {
    "seed": step_seed, "mutate": step_mutate, "ingest": step_ingest,
    "transform": step_transform, "load": step_load, "read": step_read,
    "reference": step_reference, "change": step_change, "compare": step_compare, "copy": step_copy,
    "to_sql": step_to_sql, "synth": step_synth, "bare_ingest": step_bare_ingest,
    "bare_load": step_bare_load, "cdc_snapshot": step_cdc_snapshot, "cdc_arm": step_cdc_arm,
    "cdc_drain": step_cdc_drain, "cdc_drop": step_cdc_drop,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.stage")
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench/x"))
    parser.add_argument("--source-url", default="")
    parser.add_argument("--warehouse-url", default="")
    parser.add_argument("--orders", type=int, default=0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--stack", default="")
    parser.add_argument("--psql", default="psql", help="the psql of the bare COPY step")
    parser.add_argument("--profile", type=Path, default=None,
                        help="write a pyinstrument HTML profile of the step here")
    parser.add_argument("--memory-gb", type=float, default=0,
                        help="cap the step's address space (RLIMIT_AS); past it the step "
                             "reports out_of_memory instead of waking the OOM killer")
    args = parser.parse_args(argv)
    dirs = SizeDirs(args.dir)
    if args.memory_gb:
        cap = int(args.memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    profiler = None
    if args.profile is not None:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    started = time.perf_counter()
    try:
        out = STEPS[args.step](args, dirs)
    except MemoryError:
        if not args.memory_gb:
            raise
        out = {"rows": 0, "out_of_memory": True, "memory_gb": args.memory_gb}
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.stop()
        args.profile.write_text(profiler.output_html())
    seconds = out.pop("work_seconds", seconds)  # a step may time only its measured part
    out.update(seconds=round(seconds, 3), peak_rss_mb=round(_peak_rss_mb(), 1))
    print(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
