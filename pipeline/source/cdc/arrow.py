"""Row changes of one table -> an Arrow batch: the contract's columns plus where each came from.

The contract columns keep exactly the watermark source's schema (``SourceTable.schema``), so a
raw-zone file written from a change reads like one written from a watermark read; the change's
origin (operation, commit LSN and time, xid, ordinal in its transaction) rides alongside as
columns of its own, because a version is identified by its commit position, not by
``last_updated`` (shared/WAREHOUSE.md, "Deletes and every version").
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from pipeline.source.cdc.changes import Change, Op
from pipeline.source.tables import SourceTable

ORIGIN: tuple[tuple[str, pa.DataType], ...] = (
    ("cdc_op", pa.string()),
    ("cdc_commit_lsn", pa.uint64()),
    ("cdc_commit_time", pa.timestamp("us", tz="UTC")),
    ("cdc_xid", pa.uint32()),
    ("cdc_ordinal", pa.int32()),
)


def schema(table: SourceTable) -> pa.Schema:
    return pa.schema([*table.columns, *ORIGIN])


def to_batch(table: SourceTable, changes: Iterable[Change]) -> pa.RecordBatch:
    """The table's inserts, updates and deletes, in commit order. A truncate has no row, so it
    is refused here: the caller records it as an event of its own."""
    rows: list[Change] = []
    for change in changes:
        if change.table != table.name:
            continue
        if change.op is Op.TRUNCATE:
            raise ValueError(f"a truncate of {table.name} has no row to write")
        rows.append(change)
    columns = {name: [c.row.get(name) for c in rows] for name in table.column_names}
    columns |= {"cdc_op": [c.op.value for c in rows],
                "cdc_commit_lsn": [c.commit_lsn for c in rows],
                "cdc_commit_time": [c.commit_time for c in rows],
                "cdc_xid": [c.xid for c in rows],
                "cdc_ordinal": [c.ordinal for c in rows]}
    return pa.RecordBatch.from_pydict(columns, schema=schema(table))
