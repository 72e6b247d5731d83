"""The results as Markdown: the machine, the per-stage table, the ratios against the targets.

The same text goes to ``benchmarks/results.md`` and, between ``<!-- benchmarks:start -->`` and
``<!-- benchmarks:end -->``, into ``docs/benchmarks.md``, so the docs never show figures that the
results file does not.
"""

from __future__ import annotations

import os
import platform
import time
from importlib import metadata
from pathlib import Path
from typing import Any

START = "<!-- benchmarks:start -->"
END = "<!-- benchmarks:end -->"


def machine() -> dict[str, Any]:
    def version(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "-"

    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "platform": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
                    f"{mem_gb:.0f} GB",
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "pyarrow": version("pyarrow"), "duckdb": version("duckdb"),
        "pandas": version("pandas"), "sqlalchemy": version("sqlalchemy"),
        "load_before": os.getloadavg(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n:,}"


def _dnf(r: dict[str, Any]) -> bool:
    return bool(r.get("out_of_memory"))


def _row(label: str, r: dict[str, Any]) -> str:
    if _dnf(r):
        peak = f"{r['peak_rss_mb']:,.0f}" if r.get("peak_rss_mb") else "-"
        return f"| {label} | did not finish within {r['memory_gb']:g} GB | - | - | {peak} |"
    rate = r["rows"] / r["seconds"] if r["seconds"] else 0
    return (f"| {label} | {r['seconds']:,.1f} | {r['rows']:,} | {rate:,.0f} | "
            f"{r['peak_rss_mb']:,.0f} |")


def _ratio(a: float, b: float) -> str:
    """One decimal, two below 1 (so 0.14x does not read as a met 0.1x target)."""
    if not b:
        return "-"
    return f"{a / b:.2f}x" if a / b < 1 else f"{a / b:.1f}x"


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    load = ", ".join(f"{x:.1f}" for x in m["load_before"])
    lines = [
        f"Measured {m['date']} on {m['platform']} ({m['cpu']}); Python {m['python']}, "
        f"pyarrow {m['pyarrow']}, DuckDB {m['duckdb']}, pandas {m['pandas']}, "
        f"SQLAlchemy {m['sqlalchemy']}, PostgreSQL {m.get('postgresql', '?')} (embedded). "
        f"Load average at the start: {load}"
        + (f"; after the last size: {', '.join(f'{x:.1f}' for x in m['load_after'])}"
           if "load_after" in m else "") + ".",
        "",
        "| orders | step | seconds | rows | rows/s | peak RSS (MB) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for s in results["sizes"]:
        n = _size(s["orders"])
        labels = [("seed", "seed (generator + COPY into the source)"), ("ingest", "ingest"),
                  ("transform", "transform"), ("load", "load"),
                  ("read", "bare read of the raw Parquet"), ("reference", "pandas reference")]
        lines += [_row(f"{n} | {label}", s[key]) for key, label in labels]
        for key in ("ingest", "transform", "load"):
            lines.append(_row(f"{n} | second batch (1%): {key}", s["incremental"][key]))
        for key in ("ingest", "transform", "load"):
            if "fixed" in s:
                lines.append(_row(f"{n} | fixed change: {key}", s["fixed"][key]))
    lines += ["", "| ratio | " + " | ".join(_size(s["orders"]) for s in results["sizes"])
              + " | target | at the largest size |",
              "|---|" + "---:|" * len(results["sizes"]) + "---|---|"]
    last = results["sizes"][-1]

    def ratio_row(label: str, f: Any, target: str, ok: Any, pandas: bool = False) -> None:
        def cell(s: dict[str, Any]) -> str:
            return "pandas did not finish" if pandas and _dnf(s["reference"]) else _ratio(*f(s))

        cells = " | ".join(cell(s) for s in results["sizes"])
        if pandas and _dnf(last["reference"]):
            verdict = (f"not measured: pandas did not finish within "
                       f"{last['reference']['memory_gb']:g} GB")
        else:
            a, b = f(last)
            verdict = _met(ok(a / b))
        lines.append(f"| {label} | {cells} | {target} | {verdict} |")

    ratio_row("pandas / tricloud, transform time",
              lambda s: (s["reference"]["seconds"], s["transform"]["seconds"]),
              ">= 10x", lambda r: r >= 10, pandas=True)
    ratio_row("pandas / tricloud, transform peak memory",
              lambda s: (s["reference"]["peak_rss_mb"], s["transform"]["peak_rss_mb"]),
              "> 1x", lambda r: r > 1, pandas=True)
    ratio_row("transform / bare read of the raw Parquet",
              lambda s: (s["transform"]["seconds"], s["read"]["seconds"]),
              "<= 3x", lambda r: r <= 3)
    for key in ("transform", "load"):
        ratio_row(f"1% batch / first run, {key} time",
                  lambda s, k=key: (s["incremental"][k]["seconds"], s[k]["seconds"]),
                  "<= 0.1x", lambda r: r <= 0.1)
        ratio_row(f"1% batch / first run, {key} peak memory",
                  lambda s, k=key: (s["incremental"][k]["peak_rss_mb"], s[k]["peak_rss_mb"]),
                  "<= 0.25x", lambda r: r <= 0.25)
    fixed = [s for s in results["sizes"] if "fixed" in s]
    if len(fixed) >= 2:
        small, big = fixed[0], fixed[-1]
        for key in ("transform", "load"):
            for what, unit in (("seconds", "time"), ("peak_rss_mb", "peak memory")):
                r = big["fixed"][key][what] / small["fixed"][key][what]
                lines.append(f"| fixed change {key} {unit}, {_size(big['orders'])} / "
                             f"{_size(small['orders'])} | {r:.2f}x |"
                             + " |" * (len(results["sizes"]) - 1)
                             + f" <= 1.3x | {_met(r <= 1.3)} |")
    elif fixed:
        lines.append("| fixed change, growth with 10x history | measured at one size only |"
                     + " |" * (len(results["sizes"]) - 1) + " <= 1.3x | not measured |")
    loads = [s for s in results["sizes"] if "copy" in s]
    if loads:
        s = loads[0]
        r = s["to_sql"]["seconds"] / s["copy"]["seconds"]
        lines.append(
            f"| to_sql / COPY load, {s['copy']['rows']:,} fact_sales_order rows "
            f"(measured once) | {r:.1f}x (COPY {s['copy']['seconds']:.1f} s, to_sql "
            f"{s['to_sql']['seconds']:.1f} s) |" + " |" * (len(results["sizes"]) - 1)
            + f" >= 10x | {_met(r >= 10)} |")
    lines.append("")
    lines.append(_equality_note(results["sizes"]))
    if "plan" in results:
        p = results["plan"]
        lines += ["", "| offline plan | seconds (fresh interpreter) | resources | "
                      "cloud SDKs imported |", "|---|---:|---:|---|"]
        for cloud in ("aws", "gcp", "azure"):
            lines.append(f"| dev-{cloud} | {p[cloud]['seconds']:.1f} | {p[cloud]['rows']} | "
                         f"{', '.join(p[cloud]['sdks'])} |")
        lines.append(f"| all {p['all']['stacks']} stacks, one process | "
                     f"{p['all']['seconds']:.1f} | {p['all']['rows']} | "
                     f"{', '.join(p['all']['sdks'])} |")
    return "\n".join(lines) + "\n"


def _equality_note(sizes: list[dict[str, Any]]) -> str:
    """Say for which sizes the reference's output was checked equal, and why not elsewhere."""
    checked = [_size(s["orders"]) for s in sizes if not _dnf(s["reference"])]
    text = ("The pandas reference's output was checked equal to the pipeline's (every output "
            "table, rows sorted, money to the cent) before these figures were kept"
            + (f" (at {', '.join(checked)})" if checked and len(checked) < len(sizes) else "")
            + "." if checked else "")
    for s in sizes:
        if _dnf(s["reference"]):
            text += (f" At {_size(s['orders'])} the pandas reference did not finish within "
                     f"{s['reference']['memory_gb']:g} GB of address space, so no equality check "
                     "could run for that size.")
    return text.strip()


def splice(body: str, text: str) -> str:
    """The document with ``text`` between its benchmark markers, replacing what was there."""
    if START not in body or END not in body:
        raise ValueError(f"no {START} ... {END} markers")
    head, rest = body.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{text.strip()}\n{END}{tail}"


def write(results: dict[str, Any], out: Path, doc: Path | None) -> None:
    text = render(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# Benchmark results\n\nWritten by `python -m benchmarks`; see "
                   "docs/benchmarks.md for the command and what the figures mean.\n\n" + text)
    if doc is not None:
        try:
            doc.write_text(splice(doc.read_text(), text))
        except ValueError as exc:
            raise SystemExit(f"{doc}: {exc}") from exc
