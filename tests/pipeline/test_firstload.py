"""An empty warehouse table takes a batch by COPY straight into it: the same rows, ids and
aggregates as the merge through a staging table gives."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pyarrow as pa

from pipeline import pgcopy, storage, transform
from pipeline.session import Session
from pipeline.transform import outputs
from pipeline.warehouse import firstload, load
from pipeline.warehouse.migrate import migrate
from pipeline.warehouse.upsert import TARGETS
from tests.pipeline import goldendata as g

B1 = "20240301T000000Z"


def _rows(uri: str) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(storage.parquet_schema(uri),
                                             storage.iter_parquet(uri, 3))


def test_every_empty_table_of_a_migrated_warehouse_takes_the_direct_copy(
        make_database: Callable[[], str]) -> None:
    url = make_database()
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
    with pgcopy.connect(url) as bulk, bulk.cursor() as cur:
        schemas = {name: firstload.table_schema(cur, target) for name, target in TARGETS.items()}
        bulk.rollback()
    assert [name for name, schema in schemas.items() if schema is None] == []
    assert schemas["fact_sales_order"].field("sales_record_id").type == pa.int32()
    assert schemas["fact_sales_order"].field("unit_price").type == pa.decimal128(10, 2)


def test_the_direct_copy_equals_the_merge(storage_root: str,
                                          make_database: Callable[[], str]) -> None:
    settings = g.settings_for(storage_root)
    g.write_batch(settings.raw_uri, B1, g.golden())
    transform.run(Session.of(settings))
    direct, merged = make_database(), make_database()
    for url in (direct, merged):
        with psycopg.connect(url, autocommit=True) as conn:
            migrate(conn)
    for url in (direct, merged):
        with pgcopy.connect(url) as bulk:
            for name in outputs.OUTPUT_TABLES:  # chunks of 3 rows: ids run across chunks
                rows = _rows(outputs.table_uri(settings.processed_uri, B1, name))
                with bulk.cursor() as cur:
                    if url == direct:
                        schema = firstload.table_schema(cur, TARGETS[name])
                        assert schema is not None
                        firstload.copy_into(cur, TARGETS[name], schema, rows)
                    else:
                        load._merge(cur, TARGETS[name], f"stage_{name}", rows)
                bulk.commit()

    for table in g.EXPECTED:
        query = f"SELECT * FROM warehouse.{table}"
        assert sorted(g.fetch(direct, query), key=str) == sorted(g.fetch(merged, query),
                                                                 key=str), table
    # The serial's sequence is set past the record ids either way: an ad-hoc insert still works.
    after_last = g.fetch(merged, "SELECT max(sales_record_id) + 1 FROM warehouse.fact_sales_order")
    next_id = "SELECT nextval('warehouse.fact_sales_order_sales_record_id_seq')"
    assert g.fetch(direct, next_id) == g.fetch(merged, next_id) == after_last
