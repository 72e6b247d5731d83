"""The report's verdicts from given figures: a missing figure is never a met target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks import launch, ratios, report, server


def _step(seconds: float, rows: int = 1000, peak: float = 500.0) -> dict[str, Any]:
    return {"seconds": seconds, "rows": rows, "peak_rss_mb": peak}


def _size(orders: int, fixed_seconds: float, capped: dict[str, Any]) -> dict[str, Any]:
    batch = {"ingest": _step(2), "bare_ingest": _step(1), "read": _step(1),
             "transform": _step(4), "load": _step(3), "bare_load": _step(1)}
    return {"orders": orders, "seed": _step(5), **batch, "reference": _step(40),
            "capped_transform": capped,
            "incremental": {**batch, "transform": _step(0.3, peak=100)},
            "fixed": {**batch, "transform": _step(fixed_seconds, peak=100),
                      "load": _step(fixed_seconds, peak=100)}}


def _verdict(lines: list[str], label: str) -> str:
    row = next(line for line in lines if label in line)
    return row.rsplit("|", 2)[-2].strip()


def test_growth_needs_two_sizes_and_sits_under_the_largest() -> None:
    one = ratios.render([_size(1_000_000, 1.0, _step(4, peak=3000))])
    assert _verdict(one, "fixed change transform time") == "not measured: needs two sizes"

    two = ratios.render([_size(1_000_000, 1.0, _step(4, peak=3000)),
                         _size(10_000_000, 1.5, _step(40, peak=3900))])
    row = next(line for line in two if "fixed change transform time" in line)
    assert row.split("|")[2].strip() == "-"
    assert row.split("|")[3].strip() == "1.50x (10M / 1M)"
    assert _verdict(two, "fixed change transform time") == "**missed**"
    assert _verdict(two, "fixed change transform peak memory") == "met"


def test_the_memory_cap_verdict() -> None:
    under = ratios.render([_size(1_000_000, 1.0, {**_step(4, peak=3900), "memory_gb": 4})])
    assert _verdict(under, "peak RSS / 4 GiB") == "met"
    dnf = {"rows": 0, "seconds": 0.0, "peak_rss_mb": 0.0, "out_of_memory": True,
           "memory_gb": 4, "cap": "address space", "without_cap": _step(30, peak=3500)}
    over = ratios.render([_size(1_000_000, 1.0, dnf)])
    assert _verdict(over, "peak RSS / 4 GiB") == "**missed**"  # even though 3.5 GB < 4 GiB
    row = next(line for line in over if "4 GiB" in line)
    assert "did not finish within 4 GB (address space); peak RSS 3,500 MB" in row
    assert "address space of 4 GiB" in row


def test_the_memory_cap_names_the_cgroup() -> None:
    killed = {"rows": 0, "seconds": 0.0, "peak_rss_mb": 0.0, "out_of_memory": True,
              "memory_gb": 4, "cap": "memory cgroup", "without_cap": _step(30, peak=4500)}
    row = next(line for line in ratios.render([_size(1_000_000, 1.0, killed)])
               if "4 GiB" in line)
    assert "memory cgroup of 4 GiB" in row
    assert "did not finish within 4 GB (memory cgroup); peak RSS 4,500 MB" in row
    assert row.rstrip(" |").endswith("**missed**")


def test_floors_and_a_run_without_cdc() -> None:
    lines = ratios.render([_size(1_000_000, 1.0, _step(4, peak=3000))])
    assert _verdict(lines, "first run: ingest / bare binary COPY") == "**missed**"  # 2x
    assert _verdict(lines, "first run: load / bare binary COPY") == "**missed**"  # 3x
    assert _verdict(lines, "first run: transform / bare read") == "**missed**"  # 4x
    assert _verdict(lines, "1% batch: transform / bare read") == "met"  # 0.3x
    assert _verdict(lines, "cdc initial snapshot") == "not measured: run without the cdc steps"


def test_the_stage_table_names_every_floor(tmp_path: Path) -> None:
    results = {"machine": {**report.machine(), "postgresql": "18", "wal_level": "replica"},
               "sizes": [_size(1_000, 1.0, _step(4, peak=3000))]}
    out = tmp_path / "results.md"
    report.write(results, out, None)
    text = out.read_text()
    assert "| 1,000 | bare binary COPY of the ingested rows to /dev/null (psql) | 1.0 |" in text
    assert "| 1,000 | fixed change: bare read of the raw batch and the state | 1.0 |" in text
    results["sizes"][0]["fixed"]["read"]["state_rows"] = 5000
    report.write(results, out, None)
    assert ("| fixed change: bare read of the raw batch and the state (5,000 state rows) | 1.0 |"
            in out.read_text())
    assert "cdc" not in text.split("| ratio |")[0]  # no cdc rows when the run had none
    assert "wal_level replica" in text


def test_server_configuration_replaces_its_own_lines(tmp_path: Path) -> None:
    conf = tmp_path / server.AUTO_CONF
    conf.write_text("# written by ALTER SYSTEM\nwork_mem = '8MB'\nwal_level = replica\n")
    server.configure(tmp_path, logical=True)
    server.configure(tmp_path, logical=True)
    lines = conf.read_text().splitlines()
    assert lines.count("wal_level = logical") == 1
    assert "wal_level = replica" not in lines and "work_mem = '8MB'" in lines
    server.configure(tmp_path, logical=False)
    assert "wal_level = logical" not in conf.read_text().splitlines()


def test_a_step_peak_is_its_own_not_the_runner_s(tmp_path: Path) -> None:
    """A child's ``ru_maxrss`` starts at its parent's size; the step must not report that."""
    ballast = bytearray(600 * 2**20)
    ballast[::4096] = b"\1" * len(ballast[::4096])  # touch every page: resident
    result = launch.step("read", size_dir=tmp_path / "empty")
    assert result["rows"] == 0
    assert result["peak_rss_mb"] < 500
    del ballast
