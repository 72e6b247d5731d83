"""The machine's floor under each stage: the same data moved with nothing else done.

- Ingest's floor: ``COPY (SELECT <the same columns> FROM <table> [WHERE last_updated >= <the
  same since>]) TO STDOUT (FORMAT binary)`` of every source table, by the server's own ``psql``
  (C, libpq) into ``/dev/null``: the rows leave the server in binary and nothing is built from
  them. The ``since`` of each table is the one the measured ingest used (its watermarks before
  the batch, minus the same overlap), so the row counts must match the ingest's.
- Load's floor: every output table of the batch the load just wrote, read from its Parquet
  and binary-COPYed (ADBC, straight from Arrow, as the load stages it) into a fresh table
  without indexes or constraints, one committed transaction per table.
- Transform's floor: every column of every Parquet file the transform reads: the pending raw
  batches and every file the last completed batch's state manifest lists (the state keeps
  "what a transform needs of the past, and nothing more"), read before the transform runs.
"""

from __future__ import annotations

import re
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from benchmarks.layout import SizeDirs, path_of

_COPIED = re.compile(r"^COPY (\d+)$", re.MULTILINE)


def copy_out_script(since: dict[str, datetime], overlap: timedelta) -> list[str]:
    """One ``\\copy ... to /dev/null`` per source table, the ingest's query for each."""
    from psycopg import sql

    from pipeline.source.tables import TABLES

    lines = []
    for table in TABLES:
        query = sql.SQL("SELECT {} FROM {}").format(
            sql.SQL(", ").join(map(sql.Identifier, table.column_names)),
            sql.Identifier(table.name)).as_string(None)
        if table.name in since:
            moment = (since[table.name] - overlap).isoformat(sep=" ")
            query += f" WHERE last_updated >= '{moment}'"
        lines.append(f"\\copy ({query}) TO '/dev/null' WITH (FORMAT binary)")
    return lines


def copy_out(psql: Path, source_url: str, since: dict[str, datetime],
             overlap: timedelta) -> dict[str, Any]:
    """Run the script in one psql process; ``rows`` is the sum of its ``COPY n`` tags."""
    script = "\n".join(copy_out_script(since, overlap)) + "\n"
    started = time.perf_counter()
    done = subprocess.run([str(psql), "-X", "-v", "ON_ERROR_STOP=1", "-d", source_url],
                          input=script, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"psql failed ({done.returncode}): {done.stderr.strip()}")
    counts = [int(n) for n in _COPIED.findall(done.stdout)]
    return {"rows": sum(counts), "tables": len(counts), "work_seconds": seconds,
            "method": "psql \\copy (SELECT ...) TO /dev/null (FORMAT binary)"}


def copy_in(url: str, dirs: SizeDirs, batch_id: str) -> dict[str, Any]:
    """Every output table of ``batch_id`` into a fresh unindexed table ``bare_<table>``."""
    from pipeline import pgcopy
    from pipeline.transform import outputs

    rows = 0
    started = time.perf_counter()
    with pgcopy.connect(url) as conn:
        for table in outputs.OUTPUT_TABLES:
            data = pq.read_table(dirs.processed_batch(batch_id) / f"{table}.parquet")
            with conn.cursor() as cur:
                cur.execute(f'DROP TABLE IF EXISTS "bare_{table}"')
                rows += int(cur.adbc_ingest(f"bare_{table}", data, mode="create"))
            conn.commit()
    return {"rows": rows, "batch_id": batch_id, "work_seconds": time.perf_counter() - started,
            "method": "ADBC binary COPY into a new table without indexes"}


def transform_inputs(dirs: SizeDirs) -> tuple[list[Path], list[Path]]:
    """The pending raw batches' files and the files of the last completed batch's state."""
    from pipeline.transform import outputs, state
    from pipeline.transform.raw import committed_batches

    processed_uri = dirs.processed.resolve().as_uri()
    done = outputs.completed_batches(processed_uri)
    pending = [b for b in committed_batches(dirs.raw.resolve().as_uri())
               if b.batch_id not in done]
    raw = [path_of(uri) for b in pending for uris in b.files.values() for uri in uris]
    current = state.load(processed_uri, done[-1] if done else None)
    return raw, [path_of(uri) for uri in current.files()]


def read_inputs(dirs: SizeDirs) -> dict[str, Any]:
    """Read every column of every file the next transform reads; nothing computed."""
    raw, state_files = transform_inputs(dirs)
    started = time.perf_counter()
    raw_rows = sum(pq.read_table(p).num_rows for p in raw)
    state_rows = sum(pq.read_table(p).num_rows for p in state_files)
    return {"rows": raw_rows, "state_rows": state_rows, "files": len(raw) + len(state_files),
            "work_seconds": time.perf_counter() - started}
