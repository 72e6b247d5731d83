"""The benchmark runner: ``python -m benchmarks [--sizes 1000000,10000000] [--update-doc]``.

Per size (``benchmarks.sizes``): seed the embedded source, then a first batch, a 1% batch and a
fixed change, every stage in its own process (``benchmarks.stage``) next to the machine's floor
under it (a bare binary COPY out of the source, a bare read of what the transform reads, a bare
binary COPY into unindexed tables), the first transform again under the prod job's 4 GiB, the
cdc source's snapshot and change drain over the same rows; the pandas reference must agree
with the pipeline or nothing is reported. Once: COPY against ``to_sql`` and the offline plan.
Progress goes to stderr; the results go to a Markdown file (and, if asked, between
docs/benchmarks.md's markers).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from benchmarks import plancost, report
from benchmarks.launch import PROJECT_ROOT, say, step
from benchmarks.server import Server
from benchmarks.sizes import Options, ReferenceMismatchError, SizeRun

DOC = PROJECT_ROOT / "docs" / "benchmarks.md"


def bench_plan() -> dict[str, Any]:
    say("offline plan: one dev stack per cloud, each in a fresh interpreter, then all stacks")
    out: dict[str, Any] = {
        cloud: step("synth", "--stack", str(plancost.dev_stack(cloud)))
        for cloud in ("aws", "gcp", "azure")}
    out["all"] = step("synth", "--stack", "all")
    return out


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks",
                                description=(__doc__ or "").split("\n")[0])
    p.add_argument("--sizes", default="1000000,10000000",
                   help="sales orders per run, comma-separated (default 1M and 10M)")
    p.add_argument("--out", type=Path, default=PROJECT_ROOT / "benchmarks" / "results.md")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/bench"),
                   help="data, raw and processed zones, the server (needs ~40 GB at 10M)")
    p.add_argument("--update-doc", "--update-readme", dest="update_doc", type=Path,
                   nargs="?", const=DOC, default=None, metavar="FILE",
                   help="also write the table between the benchmark markers of FILE "
                        "(default docs/benchmarks.md; --update-readme is the old name)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--reuse-source", action="store_true",
                   help="skip seeding a size whose source is still as seeded (a run changes "
                        "the source, so a seeded source serves one run)")
    p.add_argument("--load-rows", type=int, default=1_000_000,
                   help="rows for COPY against to_sql, measured at the first size only")
    p.add_argument("--no-plan", action="store_true", help="skip the offline plan figures")
    p.add_argument("--no-cdc", action="store_true",
                   help="skip the cdc source's figures, and run the server with wal_level = "
                        "replica instead of logical")
    p.add_argument("--pandas-memory-gb", type=float, default=18.0,
                   help="address-space cap of the pandas reference (default 18); past "
                        "it that size's row says 'did not finish within N GB'")
    return p


def main(argv: list[str] | None = None) -> int:
    cli = parser()
    args = cli.parse_args(argv)
    if args.update_doc is not None:  # refuse before an hour of measuring, not after it
        try:
            report.splice(args.update_doc.read_text(), "")
        except (OSError, ValueError) as exc:
            cli.error(f"--update-doc {args.update_doc}: {exc} (the figures live in "
                      f"{DOC.relative_to(PROJECT_ROOT)})")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYTHONPATH", str(PROJECT_ROOT))
    results: dict[str, Any] = {"machine": report.machine(), "sizes": []}
    server = Server(args.workdir, logical=not args.no_cdc)
    results["machine"]["postgresql"] = server.version()
    results["machine"]["wal_level"] = server.wal_level
    try:
        if not args.no_plan:
            results["plan"] = bench_plan()
        for i, orders in enumerate(sizes):
            options = Options(seed=args.seed, reuse=args.reuse_source,
                              load_rows=args.load_rows if i == 0 else 0,
                              pandas_memory_gb=args.pandas_memory_gb, cdc=not args.no_cdc)
            results["sizes"].append(SizeRun(server, args.workdir, orders, options).run())
            results["machine"]["load_after"] = os.getloadavg()
            (args.workdir / "results.json").write_text(json.dumps(results, indent=2))
            report.write(results, args.out, args.update_doc)
            say(f"wrote {args.out}")
    except ReferenceMismatchError as exc:
        print(f"benchmarks: {exc}", file=sys.stderr)
        return 1
    finally:
        server.close()
    return 0
