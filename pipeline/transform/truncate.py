"""A truncate from the change stream as what it means to the warehouse: every live id deleted.

A truncate has no rows, so the ingest records it in the batch manifest (``raw.Truncate``).
Each one becomes a key-only delete, at the truncate's commit position, of every id live just
before it: the id's latest change before that position (in the batch, or the compacted state
when the batch has none) is not a delete, and no earlier truncate came after it. The rows are
appended to the table's raw rows, so from there on they are ordinary deletes: filled with the
last version's values, one fact version each, counted in the run's input rows.
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.transform.contract import SourceTable
from pipeline.transform.engine import SqlRunner
from pipeline.transform.raw import RawTable, Truncate


def _live_ids(runner: SqlRunner, table: SourceTable, at: Truncate) -> pa.Array:
    """Ids whose latest change before ``at`` is not a delete (state ids the batch did not touch
    before ``at`` count as their state says)."""
    t, k = table.name, table.key
    rows = runner.fetch(f"""
        WITH before AS (
            SELECT {k} AS id, arg_max(_op = 'delete', (_lsn, _ord, _seq)) AS gone
            FROM raw_{t} WHERE {k} IS NOT NULL AND (_lsn, _ord) < ({at.lsn}, {at.ordinal})
            GROUP BY {k}
        )
        SELECT id FROM before WHERE NOT gone
        UNION ALL
        SELECT s.{k} FROM state_{t} AS s ANTI JOIN before AS b ON b.id = s.{k}
        WHERE s.is_deleted IS NOT TRUE
        ORDER BY 1""")
    return rows.column(0).combine_chunks()


def apply(runner: SqlRunner, table: SourceTable, raw: RawTable,
          truncates: tuple[Truncate, ...]) -> RawTable:
    """``raw`` with a key-only delete of every live id at each truncate, oldest first, appended
    to ``raw_<t>``, so a later truncate sees what an earlier one deleted."""
    schema = raw.schema
    for at in sorted(truncates, key=lambda x: (x.lsn, x.ordinal)):
        ids = _live_ids(runner, table, at)
        n = len(ids)
        if not n:
            continue
        first = runner.scalar(f"SELECT coalesce(max(_seq) + 1, 0) FROM {raw.name}")
        values = {
            table.key: ids.cast(schema.field(table.key).type),
            "_batch": pa.array([0] * n, pa.int32()),
            "_seq": pa.array(range(first, first + n), pa.int64()),
            "_op": pa.array(["delete"] * n, pa.string()),
            "_lsn": pa.array([at.lsn] * n, pa.int64()),
            "_ord": pa.array([at.ordinal] * n, pa.int32()),
            "_ctime": pa.array([at.commit_time] * n, pa.timestamp("us")),
        }
        runner.append(raw.name, pa.table({f.name: values.get(f.name, pa.nulls(n, f.type))
                                          for f in schema}, schema=schema))
    return raw
