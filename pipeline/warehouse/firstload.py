"""A batch into an empty warehouse table: binary COPY straight into it, no staging table.

The merge rules (``upsert``) need a staging table to compare a batch with what is loaded; an
empty table has nothing to compare with, and the first backfill is the biggest load a
warehouse ever takes, so there the batch's file goes by binary COPY directly into its table:
each row is written once instead of twice. The result is the rule's own result:

- dimension: the upsert of distinct ids into nothing is an insert of every row;
- fact: every version is new, and its record id is what the merge would give it, 1 + its
  position in (natural id, version) order, which is the order the transform writes the file
  in (``transform/sql/fact_*.sql``, NULLs last as in PostgreSQL); the serial is then set ahead;
- aggregate: groups with a zero count (a group the batch emptied) are left out, as the merge
  deletes them.

The COPY runs in the table's transaction with the ledger row, so exactly-once holds as before;
if a unique index finds the file breaks its own identity, the COPY fails loudly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.transform.outputs import AGGREGATE_GRAIN
from pipeline.warehouse.upsert import Kind, TargetTable, fact_lock, fact_sequence

# Binary COPY carries no type conversion: each column must arrive as the table's own type.
_ARROW_OF = {"smallint": pa.int16(), "integer": pa.int32(), "bigint": pa.int64(),
             "boolean": pa.bool_(), "date": pa.date32(), "text": pa.string(),
             "time without time zone": pa.time64("us"),
             "timestamp without time zone": pa.timestamp("us")}
_NUMERIC = re.compile(r"numeric\((\d+),(\d+)\)")


def _arrow_type(pg_type: str) -> pa.DataType | None:
    if pg_type in _ARROW_OF:
        return _ARROW_OF[pg_type]
    if pg_type.startswith(("character varying", "character(")):
        return pa.string()
    numeric = _NUMERIC.fullmatch(pg_type)
    return pa.decimal128(int(numeric[1]), int(numeric[2])) if numeric else None


def table_schema(cur: Any, target: TargetTable) -> pa.Schema | None:
    """``warehouse.<target>``'s columns as Arrow types when it is empty and every type has one;
    None when the merge must run instead. A fact is locked first, as the merge locks it."""
    if target.kind is Kind.FACT:
        cur.execute(fact_lock(target).as_string(None))
    cur.execute(f'SELECT NOT EXISTS (SELECT 1 FROM warehouse."{target.name}")')
    row = cur.fetchone()
    if not (row and row[0]):
        return None
    cur.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped "
                "ORDER BY attnum", (f'warehouse."{target.name}"',))
    fields = [(name, _arrow_type(kind)) for name, kind in cur.fetchall()]
    if any(kind is None for _, kind in fields):
        return None
    return pa.schema(fields)


def _numbered(rows: pa.RecordBatchReader, column: str) -> Iterator[pa.RecordBatch]:
    """``rows`` with record ids 1, 2, ... in file order as ``column``."""
    first = 1
    for batch in rows:
        ids = pa.array(range(first, first + batch.num_rows), pa.int32())
        first += batch.num_rows
        yield pa.RecordBatch.from_arrays([ids, *batch.columns],
                                         names=[column, *batch.schema.names])


def _live_groups(rows: pa.RecordBatchReader, count: str) -> Iterator[pa.RecordBatch]:
    for batch in rows:
        yield batch.filter(pc.greater(batch.column(count), 0))


def _typed(rows: pa.RecordBatchReader, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """``rows`` cast to the table's types (a safe cast: a value that does not fit fails)."""
    for batch in rows:
        yield pa.RecordBatch.from_arrays(
            [batch.column(f.name).cast(f.type) for f in schema], schema=schema)


def copy_into(cur: Any, target: TargetTable, table: pa.Schema,
              rows: pa.RecordBatchReader) -> int:
    """COPY ``rows`` into the empty ``warehouse.<target>`` (whose columns are ``table``) as its
    merge rule would leave it; returns the rows written."""
    reader = rows
    if target.kind is Kind.FACT:
        assert target.record_id is not None
        schema = pa.schema([pa.field(target.record_id, pa.int32()), *rows.schema])
        reader = pa.RecordBatchReader.from_batches(schema, _numbered(rows, target.record_id))
    elif target.kind is Kind.AGGREGATE:
        count = AGGREGATE_GRAIN[target.name].count
        reader = pa.RecordBatchReader.from_batches(rows.schema, _live_groups(rows, count))
    schema = pa.schema([table.field(name) for name in reader.schema.names])
    reader = pa.RecordBatchReader.from_batches(schema, _typed(reader, schema))
    written = int(cur.adbc_ingest(target.name, reader, mode="append",
                                  db_schema_name="warehouse"))
    if target.kind is Kind.FACT:
        cur.execute(fact_sequence(target).as_string(None))
    return written
