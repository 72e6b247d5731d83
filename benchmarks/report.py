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

from benchmarks import ratios
from benchmarks.ratios import dnf, met, size_label

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


def _row(label: str, r: dict[str, Any] | None) -> str:
    if r is None:
        return f"| {label} | not measured | - | - | - |"
    if dnf(r):
        peak = f"{r['peak_rss_mb']:,.0f}" if r.get("peak_rss_mb") else "-"
        return f"| {label} | did not finish within {r['memory_gb']:g} GB | - | - | {peak} |"
    rate = r["rows"] / r["seconds"] if r["seconds"] else 0
    return (f"| {label} | {r['seconds']:,.1f} | {r['rows']:,} | {rate:,.0f} | "
            f"{r['peak_rss_mb']:,.0f} |")


FIRST = [("seed", "seed (generator + COPY into the source)"), ("ingest", "ingest"),
         ("bare_ingest", "bare binary COPY of the ingested rows to /dev/null (psql)"),
         ("cdc_snapshot", "cdc initial snapshot (slot + exported snapshot + Parquet)"),
         ("read", "bare read of the raw Parquet (no state yet)"), ("transform", "transform"),
         ("capped_transform", "transform again under the prod job's 4 GiB "
                              "(TRICLOUD_MEMORY_MB=4096; the cap: see the targets)"),
         ("load", "load"),
         ("bare_load", "bare binary COPY of the loaded rows into unindexed tables"),
         ("reference", "pandas reference")]
LATER = [("ingest", "ingest"), ("bare_ingest", "bare binary COPY of the ingested rows"),
         ("cdc_drain", "cdc drain of the change from a slot"),
         ("read", "bare read of the raw batch and the state"), ("transform", "transform"),
         ("load", "load"), ("bare_load", "bare binary COPY of the loaded rows")]
OPTIONAL = {"cdc_snapshot", "cdc_drain"}  # absent when the run skipped the cdc steps


def _label(label: str, r: dict[str, Any] | None) -> str:
    """The bare read's rows are the raw batch's (the transform's rows); the state's it also
    read are named in its label."""
    if r and "state_rows" in r:
        return f"{label} ({r['state_rows']:,} state rows)"
    return label


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    load = ", ".join(f"{x:.1f}" for x in m["load_before"])
    lines = [
        f"Measured {m['date']} on {m['platform']} ({m['cpu']}); Python {m['python']}, "
        f"pyarrow {m['pyarrow']}, DuckDB {m['duckdb']}, pandas {m['pandas']}, "
        f"SQLAlchemy {m['sqlalchemy']}, PostgreSQL {m.get('postgresql', '?')} (embedded, "
        f"wal_level {m.get('wal_level', '?')}). "
        f"Load average at the start: {load}"
        + (f"; after the last size: {', '.join(f'{x:.1f}' for x in m['load_after'])}"
           if "load_after" in m else "") + ".",
        "",
        "| orders | step | seconds | rows | rows/s | peak RSS (MB) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for s in results["sizes"]:
        n = size_label(s["orders"])
        lines += [_row(f"{n} | {label}", s.get(key)) for key, label in FIRST
                  if key in s or key not in OPTIONAL]
        for part, title in (("incremental", "second batch (1%)"), ("fixed", "fixed change")):
            batch = s.get(part, {})
            lines += [_row(f"{n} | {title}: {_label(label, batch.get(key))}", batch.get(key))
                      for key, label in LATER if key in batch or key not in OPTIONAL]
    lines += ["", *ratios.render(results["sizes"])]
    loads = [s for s in results["sizes"] if "copy" in s]
    if loads:
        s = loads[0]
        r = s["to_sql"]["seconds"] / s["copy"]["seconds"]
        lines.append(
            f"| to_sql / COPY load, {s['copy']['rows']:,} fact_sales_order rows "
            f"(measured once) | {r:.1f}x (COPY {s['copy']['seconds']:.1f} s, to_sql "
            f"{s['to_sql']['seconds']:.1f} s) |" + " |" * (len(results["sizes"]) - 1)
            + f" >= 10x | {met(r >= 10)} |")
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
    checked = [size_label(s["orders"]) for s in sizes if not dnf(s["reference"])]
    text = ("The pandas reference's output was checked equal to the pipeline's (every output "
            "table, rows sorted, money to the cent) before these figures were kept"
            + (f" (at {', '.join(checked)})" if checked and len(checked) < len(sizes) else "")
            + "." if checked else "")
    for s in sizes:
        if dnf(s["reference"]):
            text += (f" At {size_label(s['orders'])} the pandas reference did not finish within "
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
