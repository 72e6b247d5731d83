"""The ratio table: each figure against its floor or its target, and whether the target is met.

A column per size; the verdict is the largest size's that has the figure. A figure a run did
not measure (no cdc steps, one size only, a step that ran out of its cap) says so in its cell
and its verdict instead of being left out, so a missing row never reads as a met target.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks.launch import ADDRESS_CAP, CGROUP_CAP

Size = dict[str, Any]
Pair = Callable[[Size], tuple[float, float] | None]

JOB_MB = 4096


def size_label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n:,}"


def dnf(r: dict[str, Any]) -> bool:
    return bool(r.get("out_of_memory"))


def ratio(a: float, b: float) -> str:
    """One decimal, two below 1 (so 0.14x does not read as a met 0.1x target)."""
    if not b:
        return "-"
    return f"{a / b:.2f}x" if a / b < 1 else f"{a / b:.1f}x"


def met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _get(s: Size, *path: str) -> dict[str, Any] | None:
    node: Any = s
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node if isinstance(node, dict) else None


def seconds(*path: str) -> Callable[[Size], float | None]:
    def f(s: Size) -> float | None:
        r = _get(s, *path)
        return None if r is None or dnf(r) else float(r["seconds"])
    return f


def peak(*path: str) -> Callable[[Size], float | None]:
    def f(s: Size) -> float | None:
        r = _get(s, *path)
        return None if r is None or dnf(r) else float(r["peak_rss_mb"])
    return f


def rate(*path: str) -> Callable[[Size], float | None]:
    def f(s: Size) -> float | None:
        r = _get(s, *path)
        if r is None or dnf(r) or not r["seconds"]:
            return None
        return float(r["rows"]) / float(r["seconds"])
    return f


def over(a: Callable[[Size], float | None], b: Callable[[Size], float | None]) -> Pair:
    def f(s: Size) -> tuple[float, float] | None:
        x, y = a(s), b(s)
        return None if x is None or y is None else (x, y)
    return f


class RatioTable:
    def __init__(self, sizes: list[Size]) -> None:
        self.sizes = sizes
        self.lines = ["| ratio | " + " | ".join(size_label(s["orders"]) for s in sizes)
                      + " | target | at the largest size |",
                      "|---|" + "---:|" * len(sizes) + "---|---|"]

    def row(self, label: str, pair: Pair, target: str, ok: Callable[[float], bool] | None,
            missing: str = "not measured") -> None:
        """``ok`` None: a figure without a target (its verdict says so)."""
        found = [pair(s) for s in self.sizes]
        cells = " | ".join(ratio(*p) if p else "-" for p in found)
        last = next((p for p in reversed(found) if p), None)
        if last is None:
            verdict = missing
        elif ok is None:
            verdict = "no target: a figure to compare"
        else:
            verdict = met(ok(last[0] / last[1]))
        self.lines.append(f"| {label} | {cells} | {target} | {verdict} |")

    def growth(self, label: str, value: Callable[[Size], float | None], target: float) -> None:
        """The largest size's figure over the smallest's, in the largest size's column."""
        have = [s for s in self.sizes if value(s) is not None]
        cells = ["-"] * len(self.sizes)
        if len(have) < 2:
            verdict = "not measured: needs two sizes"
        else:
            small, big = have[0], have[-1]
            r = float(value(big) or 0) / float(value(small) or 1)
            cells[self.sizes.index(big)] = (f"{r:.2f}x ({size_label(big['orders'])} / "
                                            f"{size_label(small['orders'])})")
            verdict = met(r <= target)
        self.lines.append(f"| {label} | {' | '.join(cells)} | <= {target}x | {verdict} |")

    def capped(self) -> None:
        """The first transform's peak under the job's cap, as a share of the job's memory."""
        cells, verdict, caps = [], "not measured", set()
        for s in self.sizes:
            r = s.get("capped_transform")
            if r is None:
                cells.append("-")
                continue
            caps.add(r.get("cap", ADDRESS_CAP))
            if dnf(r):
                cell = f"did not finish within {r['memory_gb']:g} GB ({r.get('cap', ADDRESS_CAP)})"
                alone = r.get("without_cap")
                if alone:
                    cell += f"; peak RSS {alone['peak_rss_mb']:,.0f} MB with the setting alone"
                cells.append(cell)
                verdict = met(False)
            else:
                cells.append(f"{ratio(r['peak_rss_mb'], JOB_MB)} ({r['peak_rss_mb']:,.0f} MB)")
                verdict = met(r["peak_rss_mb"] <= JOB_MB)
        how = " or ".join(sorted(caps)) or CGROUP_CAP
        self.lines.append("| first run's transform under the prod job's memory "
                          f"(TRICLOUD_MEMORY_MB=4096, {how} of 4 GiB): "
                          f"peak RSS / 4 GiB | {' | '.join(cells)} | <= 1x, and finishes | "
                          f"{verdict} |")


def render(sizes: list[Size]) -> list[str]:
    t = RatioTable(sizes)
    pandas = "not measured: pandas did not finish"
    t.row("pandas / tricloud, transform time",
          over(seconds("reference"), seconds("transform")), ">= 10x", lambda r: r >= 10, pandas)
    t.row("pandas / tricloud, transform peak memory",
          over(peak("reference"), peak("transform")), "> 1x", lambda r: r > 1, pandas)
    t.row("first run: ingest / bare binary COPY of the same rows to /dev/null",
          over(seconds("ingest"), seconds("bare_ingest")), "<= 1.5x", lambda r: r <= 1.5)
    for key, label in ((None, "first run"), ("incremental", "1% batch"),
                       ("fixed", "fixed change")):
        at = (key,) if key else ()
        t.row(f"{label}: transform / bare read of its raw batch and the state",
              over(seconds(*at, "transform"), seconds(*at, "read")), "<= 3x",
              lambda r: r <= 3)
    t.row("first run: load / bare binary COPY of the same rows into unindexed tables",
          over(seconds("load"), seconds("bare_load")), "<= 2x", lambda r: r <= 2)
    t.capped()
    for key in ("transform", "load"):
        t.row(f"1% batch / first run, {key} time",
              over(seconds("incremental", key), seconds(key)), "<= 0.1x", lambda r: r <= 0.1)
        t.row(f"1% batch / first run, {key} peak memory",
              over(peak("incremental", key), peak(key)), "<= 0.25x", lambda r: r <= 0.25)
    for key in ("transform", "load"):
        t.growth(f"fixed change {key} time, growth with the history",
                 seconds("fixed", key), 1.3)
        t.growth(f"fixed change {key} peak memory, growth with the history",
                 peak("fixed", key), 1.3)
    nocdc = "not measured: run without the cdc steps"
    t.row("cdc initial snapshot rows/s / watermark first ingest rows/s",
          over(rate("cdc_snapshot"), rate("ingest")), "-", None, nocdc)
    for key, label in (("incremental", "1% batch"), ("fixed", "fixed change")):
        t.row(f"cdc change drain rows/s / watermark ingest rows/s, {label}",
              over(rate(key, "cdc_drain"), rate(key, "ingest")), "-", None, nocdc)
    return t.lines
