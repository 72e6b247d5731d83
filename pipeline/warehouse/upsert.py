"""How each kind of warehouse table takes a staged batch: the SQL of the three merge rules.

- dimension: upsert on the id; a row is only rewritten when a value changed, so reloading the
  same snapshot touches nothing.
- fact: insert the versions not yet present. A version read by the watermark is identified by
  (natural id, last_updated), one read from the change stream by (natural id, change_lsn,
  change_ordinal), its commit position (WAREHOUSE.md, "Deletes and every version"); a partial
  unique index holds each identity. Record ids are assigned here, in (natural id, version)
  order after the current maximum, instead of from the sequence: a sequence is not rolled back
  by a failed transaction, so ids would depend on crashes; this way a rerun after a crash
  produces the same ids as a clean run.
- aggregate: replace the groups the batch touched (the transform emits every group whose values
  changed, computed from the latest version of every order and payment; a group left with no
  order or payment comes with a zero count and is deleted). Other groups stay as loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from psycopg import sql

from pipeline.transform.outputs import AGGREGATE_GRAIN, AGGREGATES, DIMENSIONS, FACTS


class Kind(StrEnum):
    DIMENSION = "dimension"
    FACT = "fact"
    AGGREGATE = "aggregate"


@dataclass(frozen=True)
class TargetTable:
    name: str
    kind: Kind
    keys: tuple[str, ...] = ()
    record_id: str | None = None
    # A fact's change position columns: NULL for a watermark version, its identity otherwise.
    position: tuple[str, ...] = ()


_FACT_IDS = {
    "fact_sales_order": ("sales_record_id", "sales_order_id"),
    "fact_purchase_order": ("purchase_record_id", "purchase_order_id"),
    "fact_payment": ("payment_record_id", "payment_id"),
}
_DIM_KEYS = {
    "dim_date": "date_id", "dim_staff": "staff_id", "dim_location": "location_id",
    "dim_design": "design_id", "dim_currency": "currency_id",
    "dim_counterparty": "counterparty_id", "dim_payment_type": "payment_type_id",
    "dim_transaction": "transaction_id",
}

TARGETS: dict[str, TargetTable] = {
    **{n: TargetTable(n, Kind.DIMENSION, (_DIM_KEYS[n],)) for n in DIMENSIONS},
    **{n: TargetTable(n, Kind.FACT, (_FACT_IDS[n][1], "last_updated_date", "last_updated_time"),
                      _FACT_IDS[n][0], ("change_lsn", "change_ordinal")) for n in FACTS},
    **{n: TargetTable(n, Kind.AGGREGATE, AGGREGATE_GRAIN[n].keys) for n in AGGREGATES},
}


def _ids(names: tuple[str, ...] | list[str]) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(n) for n in names)


def _fact_match(target: TargetTable, position: tuple[str, ...]) -> sql.Composable:
    """Staged version ``s`` is not yet in the fact table: no watermark version with its
    (natural id, last_updated), and no change version with its (natural id, change position).
    Two probes, so each can use its partial unique index. ``position`` is empty for a batch
    transformed before change positions existed: its versions are watermark versions."""
    table = sql.Identifier("warehouse", target.name)

    def equal(names: tuple[str, ...]) -> list[sql.Composable]:
        return [sql.SQL("f.{k} = s.{k}").format(k=sql.Identifier(k)) for k in names]

    watermark = equal(target.keys)
    if target.position:
        watermark.append(sql.SQL("f.{} IS NULL").format(sql.Identifier(target.position[0])))
    if position:
        watermark.append(sql.SQL("s.{} IS NULL").format(sql.Identifier(position[0])))
    probes = [watermark]
    if position:
        probes.append(equal((target.keys[0], *position)))
    return sql.SQL(" AND ").join(
        sql.SQL("NOT EXISTS (SELECT 1 FROM {table} AS f WHERE {same})").format(
            table=table, same=sql.SQL(" AND ").join(probe)) for probe in probes)


def fact_lock(target: TargetTable) -> sql.Composable:
    """Writers of a fact table are serialised, so max(record id) + n cannot be taken twice."""
    return sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(
        sql.Identifier("warehouse", target.name))


def fact_sequence(target: TargetTable) -> sql.Composable:
    """Keep the serial's sequence ahead of the record ids, so ad-hoc inserts still work.

    Both probes are index or first-row lookups (max of the primary key, EXISTS), never a
    count: a count scans the whole fact table, which made every small batch's load grow with
    the history."""
    assert target.record_id is not None
    table, rid = sql.Identifier("warehouse", target.name), sql.Identifier(target.record_id)
    return sql.SQL(
        "SELECT setval(pg_get_serial_sequence({qualified}, {col}), "
        "coalesce((SELECT max({rid}) FROM {table}), 1), EXISTS (SELECT 1 FROM {table}))"
    ).format(qualified=sql.Literal(f"warehouse.{target.name}"),
             col=sql.Literal(target.record_id), rid=rid, table=table)


def statements(target: TargetTable, stage: str, columns: list[str]) -> list[sql.Composable]:
    """The statements that merge staging table ``stage`` into ``warehouse.<target>``."""
    table = sql.Identifier("warehouse", target.name)
    cols = _ids(columns)
    staged = sql.Identifier(stage)
    if target.kind is Kind.DIMENSION:
        rest = [c for c in columns if c not in target.keys]
        assignments = sql.SQL(", ").join(
            sql.SQL("{c} = EXCLUDED.{c}").format(c=sql.Identifier(c)) for c in rest)
        changed = sql.SQL("({}) IS DISTINCT FROM ({})").format(
            sql.SQL(", ").join(sql.SQL("t.{}").format(sql.Identifier(c)) for c in rest),
            sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(sql.Identifier(c)) for c in rest))
        return [sql.SQL(
            "INSERT INTO {table} AS t ({cols}) SELECT {cols} FROM {staged} ORDER BY {keys} "
            "ON CONFLICT ({keys}) DO UPDATE SET {assignments} WHERE {changed}"
        ).format(table=table, cols=cols, staged=staged, keys=_ids(target.keys),
                 assignments=assignments, changed=changed)]
    if target.kind is Kind.FACT:
        assert target.record_id is not None
        rid = sql.Identifier(target.record_id)
        s_cols = sql.SQL(", ").join(sql.SQL("s.{}").format(sql.Identifier(c)) for c in columns)
        # A batch transformed before change positions existed has no such columns: its
        # versions are all watermark versions.
        position = target.position if set(target.position) <= set(columns) else ()
        s_keys = sql.SQL(", ").join(sql.SQL("s.{}").format(sql.Identifier(k))
                                    for k in (*target.keys, *position))
        match = _fact_match(target, position)
        return [
            fact_lock(target),
            sql.SQL(
                "INSERT INTO {table} ({rid}, {cols}) "
                "SELECT (SELECT coalesce(max({rid}), 0) FROM {table}) "
                "+ row_number() OVER (ORDER BY {s_keys}), {s_cols} "
                "FROM {staged} AS s WHERE {match}"
            ).format(table=table, rid=rid, cols=cols, s_keys=s_keys, s_cols=s_cols,
                     staged=staged, match=match),
            fact_sequence(target),
        ]
    # Plain equality, not IS NOT DISTINCT FROM: group keys are never NULL (every one comes from
    # a required column through an inner join), and only equality lets PostgreSQL hash-join
    # the staged groups against the whole aggregate instead of comparing every pair.
    same_group = sql.SQL(" AND ").join(
        sql.SQL("a.{k} = s.{k}").format(k=sql.Identifier(k)) for k in target.keys)
    count = sql.Identifier(AGGREGATE_GRAIN[target.name].count)
    return [
        sql.SQL("DELETE FROM {table} AS a USING {staged} AS s WHERE {same_group}").format(
            table=table, staged=staged, same_group=same_group),
        sql.SQL("INSERT INTO {table} ({cols}) SELECT {cols} FROM {staged} WHERE {count} > 0"
                ).format(table=table, cols=cols, staged=staged, count=count),
    ]
