"""Is the reference's output the pipeline's output? Same tables, same rows, money to the cent.

Both sides are brought to one canonical Arrow form before comparing, because they legitimately
differ in representation: the pipeline writes exact decimals, dates and times; the reference
writes float money, timestamps at midnight and times as microseconds. Canonical: money as
integer cents, dates as date32, times as microseconds, every integer as int64. Rows are then
sorted by every column, so row order (which neither side promises) does not matter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.transform.outputs import (
    AGGREGATE_GRAIN,
    AGGREGATES,
    DIMENSION_SOURCES,
    DIMENSIONS,
    OUTPUT_TABLES,
)


def _canonical(column: pa.ChunkedArray, like: pa.DataType) -> pa.ChunkedArray:
    """``column`` (either side) in the canonical form of a pipeline column of type ``like``."""
    if pa.types.is_decimal(like):
        if pa.types.is_decimal(column.type):
            return pc.cast(pc.multiply(column, pa.scalar(100, column.type)), pa.int64())
        cents = np.round(column.to_numpy(zero_copy_only=False).astype("float64") * 100)
        return pa.chunked_array([pa.array(cents, mask=np.isnan(cents)).cast(pa.int64())])
    if pa.types.is_time(like):
        if pa.types.is_time(column.type):
            return pc.cast(pc.cast(column, pa.time64("us")), pa.int64())
        return pc.cast(column, pa.int64())
    if pa.types.is_date(like):
        if pa.types.is_timestamp(column.type):
            return pc.cast(column, pa.date32(), safe=False)
        return pc.cast(column, pa.date32())
    if pa.types.is_integer(like):
        return pc.cast(column, pa.int64())
    if pa.types.is_string(like) or pa.types.is_large_string(like):
        return pc.cast(column, pa.string())
    return pc.cast(column, like)


def canonical(table: pa.Table, like: pa.Schema) -> pa.Table:
    """``table``'s columns named in ``like``, canonicalised and sorted by every column."""
    data = pa.table({f.name: _canonical(table.column(f.name), f.type) for f in like})
    return data.sort_by([(name, "ascending") for name in data.column_names])


def compare_tables(name: str, pipeline: pa.Table, reference: pa.Table) -> str | None:
    """None when equal, else one line saying how the two differ."""
    missing = [c for c in pipeline.column_names if c not in reference.column_names]
    if missing:
        return f"{name}: reference lacks columns {missing}"
    if pipeline.num_rows != reference.num_rows:
        return f"{name}: {pipeline.num_rows} rows in the pipeline, {reference.num_rows} in pandas"
    left = canonical(pipeline, pipeline.schema)
    right = canonical(reference, pipeline.schema)
    for column in left.column_names:
        diff = pc.not_equal(left.column(column), right.column(column))
        diff = pc.or_kleene(diff, pc.xor(pc.is_null(left.column(column)),
                                         pc.is_null(right.column(column))))
        bad = pc.sum(pc.fill_null(diff, False)).as_py() or 0
        if bad:
            at = pc.index(pc.fill_null(diff, False), True).as_py()
            return (f"{name}.{column}: {bad} rows differ, e.g. pipeline "
                    f"{left.slice(at, 1).to_pylist()} vs pandas {right.slice(at, 1).to_pylist()}")
    return None


def _key(name: str) -> str:
    return DIMENSION_SOURCES[name][0] if name in DIMENSION_SOURCES else "date_id"


def snapshot(batch_dirs: list[Path]) -> dict[str, pa.Table]:
    """The dimensions and aggregates the warehouse holds after loading ``batch_dirs`` in order,
    and the last batch's facts: what the reference computes for that batch.

    A processed batch holds only what it changed; the reference computes whole snapshots. This
    applies the load's merge rules (dimensions upsert by id, aggregates replace the groups a
    batch carries, dropping those with a zero count) to compare the two.
    """
    import duckdb

    con = duckdb.connect()
    out: dict[str, pa.Table] = {}
    for name in OUTPUT_TABLES:
        parts = [pq.read_table(d / f"{name}.parquet") for d in batch_dirs]
        if name in AGGREGATES:
            grain = AGGREGATE_GRAIN[name]
            keys = ", ".join(grain.keys)
            current = parts[0].filter(pc.greater(parts[0].column(grain.count), 0))
            for part in parts[1:]:
                con.register("cur", current)
                con.register("part", part)
                current = con.sql(
                    f"SELECT * FROM cur WHERE ({keys}) NOT IN (SELECT ({keys}) FROM part) "
                    f"UNION ALL SELECT * FROM part WHERE {grain.count} > 0").to_arrow_table()
            out[name] = current
        elif name in DIMENSIONS:
            tagged = pa.concat_tables([p.append_column("_i", pa.array([i] * p.num_rows,
                                                                     pa.int32()))
                                       for i, p in enumerate(parts)])
            con.register("tagged", tagged)
            out[name] = con.sql(
                f"SELECT * EXCLUDE (_i, _rn) FROM (SELECT *, row_number() OVER (PARTITION BY "
                f"{_key(name)} ORDER BY _i DESC) AS _rn FROM tagged) WHERE _rn = 1"
            ).to_arrow_table()
        else:
            out[name] = parts[-1]
    return out


def compare_dirs(pipeline_dirs: list[Path], reference_dir: Path) -> list[str]:
    """The processed batches up to one (``snapshot``) against the reference's output for that
    batch; the differences."""
    differences = []
    pipeline = snapshot(pipeline_dirs)
    for name in OUTPUT_TABLES:
        problem = compare_tables(name, pipeline[name],
                                 pq.read_table(reference_dir / f"{name}.parquet"))
        if problem:
            differences.append(problem)
    return differences
