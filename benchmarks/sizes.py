"""One size of the benchmark: every step, in order, each in its own process.

Seed the source (or reuse it), then a first batch: ingest and its bare COPY, the cdc source's
initial snapshot of the same rows, the bare read of what the transform reads, transform, the
same transform again under the memory cap, load and its bare COPY; the pandas reference and
the equality check; then a 1% batch and a fixed change on top of the history, each ingested
(and drained from a cdc slot armed just before it), read bare, transformed and loaded.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.cgroup import memory_cgroup
from benchmarks.launch import StepFailedError, capped_step, say, step
from benchmarks.layout import SizeDirs
from benchmarks.server import Server

# The prod job the platforms provision: 2 vCPU, 4 GiB.
JOB_MEMORY_MB = 4096


class ReferenceMismatchError(RuntimeError):
    """The reference disagrees with the pipeline: no figure may be reported."""


@dataclass(frozen=True)
class Options:
    seed: int = 42
    reuse: bool = False
    load_rows: int = 0
    pandas_memory_gb: float = 18.0
    cdc: bool = True


def _seeded(dirs: SizeDirs) -> dict[str, Any] | None:
    marker = dirs.root / "seeded.json"
    return json.loads(marker.read_text()) if marker.exists() else None


class SizeRun:
    """The steps of one size against one server; ``out`` collects their JSON lines."""

    def __init__(self, server: Server, workdir: Path, orders: int, options: Options) -> None:
        self.server, self.orders, self.options = server, orders, options
        self.dirs = SizeDirs(workdir / str(orders))
        self.out: dict[str, Any] = {"orders": orders}
        self.source = self.warehouse = ""

    def urls(self) -> tuple[str, ...]:
        return ("--source-url", self.source, "--warehouse-url", self.warehouse)

    def seed(self) -> None:
        dirs, seed = self.dirs, self.options.seed
        dirs.root.mkdir(parents=True, exist_ok=True)
        self.source = self.server.database(f"source_{self.orders}", fresh=False)
        marker = _seeded(dirs)
        if self.options.reuse and marker and marker.get("seed") == seed:
            say(f"{self.orders:,} orders: reusing the seeded source")
            self.out["seed"] = marker["result"]
            return
        say(f"{self.orders:,} orders: seeding the source")
        (dirs.root / "seeded.json").unlink(missing_ok=True)
        self.source = self.server.database(f"source_{self.orders}", fresh=True)
        self.out["seed"] = step("seed", "--source-url", self.source, "--orders",
                                str(self.orders), "--seed", str(seed), size_dir=dirs.root)
        (dirs.root / "seeded.json").write_text(json.dumps({"seed": seed,
                                                           "result": self.out["seed"]}))

    def batch(self, key: str | None) -> dict[str, Any]:
        """Ingest (then its bare COPY, then the cdc drain of an armed slot), the bare read,
        transform, load; ``key`` None is the first batch, whose results sit at the top."""
        dirs, out = self.dirs, (self.out if key is None else self.out.setdefault(key, {}))
        dirs.keep_watermarks()
        out["ingest"] = step("ingest", *self.urls(), size_dir=dirs.root)
        out["bare_ingest"] = step("bare_ingest", "--source-url", self.source, "--psql",
                                  str(self.server.psql), size_dir=dirs.root)
        if self.options.cdc:
            name = "cdc_snapshot" if key is None else "cdc_drain"
            out[name] = step(name, "--source-url", self.source, size_dir=dirs.root)
        out["read"] = step("read", size_dir=dirs.root)
        out["transform"] = step("transform", *self.urls(), size_dir=dirs.root)
        if key is None:
            self.capped_transform()
        out["load"] = step("load", *self.urls(), size_dir=dirs.root)
        bare = f"bare_{self.orders}"
        out["bare_load"] = step("bare_load", "--warehouse-url",
                                self.server.database(bare, fresh=True), size_dir=dirs.root)
        self.server.drop_database(bare)  # a copy of the batch's rows: gigabytes at 10M
        return out

    def capped_transform(self) -> None:
        """The first transform again, in a root of its own over the same raw zone, with the
        job's memory setting, in a memory cgroup of the job's memory (``benchmarks.cgroup``).

        Where no cgroup can be made, its address space is capped instead, which is stricter
        than the job's cap: reserved but unused address space counts too. If the step does
        not finish under its cap, it runs once more with the setting alone, so the report can
        give its peak RSS next to the verdict, which stays missed."""
        env = {"TRICLOUD_MEMORY_MB": str(JOB_MEMORY_MB)}
        root = self.dirs.capped().root
        with memory_cgroup(JOB_MEMORY_MB * 2**20) as group:
            result = capped_step("transform", JOB_MEMORY_MB / 1024, root, env, cgroup=group)
        if result.get("out_of_memory"):
            root = self.dirs.capped().root  # emptied again: a first run once more
            result["without_cap"] = step("transform", size_dir=root, env=env)
        self.out["capped_transform"] = result
        shutil.rmtree(root, ignore_errors=True)

    def check_reference(self) -> None:
        dirs, out = self.dirs, self.out
        out["raw_bytes"] = dirs.raw_bytes()
        out["reference"] = capped_step("reference", self.options.pandas_memory_gb, dirs.root)
        if out["reference"].get("out_of_memory"):
            say(f"{self.orders:,} orders: no equality check, the reference did not finish")
            return
        out["compare"] = step("compare", size_dir=dirs.root)
        if not out["compare"]["equal"]:
            raise ReferenceMismatchError(
                "the pandas reference differs from the pipeline; nothing is reported:\n"
                + "\n".join(out["compare"]["differences"]))

    def load_comparison(self, rows: int) -> None:
        say(f"{self.orders:,} orders: COPY against to_sql on {rows:,} fact_sales_order rows")
        target = self.server.database(f"loadcmp_{self.orders}", fresh=True)
        for name in ("copy", "to_sql"):
            self.out[name] = step(name, "--warehouse-url", target, "--rows", str(rows),
                                  size_dir=self.dirs.root)

    def change(self, key: str, name: str) -> None:
        """Change the source with step ``name`` (a cdc slot armed just before), then a batch."""
        if self.options.cdc:
            step("cdc_arm", "--source-url", self.source, size_dir=self.dirs.root)
        (self.dirs.root / "seeded.json").unlink(missing_ok=True)  # the source changes now
        self.out[name] = step(name, "--source-url", self.source, "--seed",
                                          str(self.options.seed), size_dir=self.dirs.root)
        self.batch(key)

    def run(self) -> dict[str, Any]:
        self.seed()
        self.dirs.reset()
        self.warehouse = self.server.database(f"warehouse_{self.orders}", fresh=True)
        try:
            say(f"{self.orders:,} orders: first batch")
            self.batch(None)
            self.check_reference()
            if self.options.load_rows:
                self.load_comparison(self.options.load_rows)
            say(f"{self.orders:,} orders: a second, small batch on top of the history")
            self.change("incremental", "mutate")
            say(f"{self.orders:,} orders: a fixed change (3,000 orders updated, 1,000 added, "
                "a design renamed)")
            self.change("fixed", "change")
        finally:
            if self.options.cdc:  # a forgotten slot would keep the source's WAL forever
                self.drop_slot()
        return self.out

    def drop_slot(self) -> None:
        try:
            step("cdc_drop", "--source-url", self.source, size_dir=self.dirs.root)
        except StepFailedError as exc:  # say so, but do not hide the error that got us here
            say(f"  could not drop the benchmark's replication slot: {exc}")
