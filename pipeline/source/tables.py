"""The 11 source tables of shared/WAREHOUSE.md as data, so every reader checks the same contract.

Ingest, the exports reader and the generator all need the table list, the key and the column
order; keeping them here (next to schema.sql) means a contract change is made in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

_INT = pa.int32()
_MONEY = pa.decimal128(10, 2)
_TEXT = pa.string()
_TS = pa.timestamp("us")
_AUDIT: tuple[tuple[str, pa.DataType], ...] = (("created_at", _TS), ("last_updated", _TS))


@dataclass(frozen=True)
class SourceTable:
    """One source table: its name, primary key and typed columns in source order."""

    name: str
    key: str
    columns: tuple[tuple[str, pa.DataType], ...]

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    @property
    def schema(self) -> pa.Schema:
        """The Arrow schema a PostgreSQL read produces (exports may carry strings instead)."""
        return pa.schema(list(self.columns))


def _table(name: str, *cols: tuple[str, pa.DataType]) -> SourceTable:
    return SourceTable(name=name, key=cols[0][0], columns=(*cols, *_AUDIT))


# Dependency order: referenced tables first, so a consistent snapshot reads naturally top-down.
TABLES: tuple[SourceTable, ...] = (
    _table("currency", ("currency_id", _INT), ("currency_code", _TEXT)),
    _table("payment_type", ("payment_type_id", _INT), ("payment_type_name", _TEXT)),
    _table("department", ("department_id", _INT), ("department_name", _TEXT),
           ("location", _TEXT), ("manager", _TEXT)),
    _table("staff", ("staff_id", _INT), ("first_name", _TEXT), ("last_name", _TEXT),
           ("department_id", _INT), ("email_address", _TEXT)),
    _table("address", ("address_id", _INT), ("address_line_1", _TEXT),
           ("address_line_2", _TEXT), ("district", _TEXT), ("city", _TEXT),
           ("postal_code", _TEXT), ("country", _TEXT), ("phone", _TEXT)),
    _table("counterparty", ("counterparty_id", _INT), ("counterparty_legal_name", _TEXT),
           ("legal_address_id", _INT), ("commercial_contact", _TEXT),
           ("delivery_contact", _TEXT)),
    _table("design", ("design_id", _INT), ("design_name", _TEXT), ("file_location", _TEXT),
           ("file_name", _TEXT)),
    _table("sales_order", ("sales_order_id", _INT), ("design_id", _INT), ("staff_id", _INT),
           ("counterparty_id", _INT), ("units_sold", _INT), ("unit_price", _MONEY),
           ("currency_id", _INT), ("agreed_delivery_date", _TEXT),
           ("agreed_payment_date", _TEXT), ("agreed_delivery_location_id", _INT)),
    _table("purchase_order", ("purchase_order_id", _INT), ("staff_id", _INT),
           ("counterparty_id", _INT), ("item_code", _TEXT), ("item_quantity", _INT),
           ("item_unit_price", _MONEY), ("currency_id", _INT),
           ("agreed_delivery_date", _TEXT), ("agreed_payment_date", _TEXT),
           ("agreed_delivery_location_id", _INT)),
    _table("transaction", ("transaction_id", _INT), ("transaction_type", _TEXT),
           ("sales_order_id", _INT), ("purchase_order_id", _INT)),
    _table("payment", ("payment_id", _INT), ("transaction_id", _INT),
           ("counterparty_id", _INT), ("payment_amount", _MONEY), ("currency_id", _INT),
           ("payment_type_id", _INT), ("paid", pa.bool_()), ("payment_date", _TEXT),
           ("company_ac_number", _INT), ("counterparty_ac_number", _INT)),
)

# Columns that may be NULL in the source; an export may omit them entirely (JSON Lines does).
NULLABLE: frozenset[tuple[str, str]] = frozenset({
    ("department", "location"), ("department", "manager"),
    ("address", "address_line_2"), ("address", "district"),
    ("counterparty", "commercial_contact"), ("counterparty", "delivery_contact"),
    ("transaction", "sales_order_id"), ("transaction", "purchase_order_id"),
})

TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)
BY_NAME: dict[str, SourceTable] = {t.name: t for t in TABLES}
