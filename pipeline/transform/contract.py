"""The 11 source tables as the transform sees them: columns, types and the rules each row obeys.

The rules live here, once, because they drive three things that must agree: which raw columns
are read (everything else in a raw file is ignored), the typing/validation SQL rendered by
``validate.py``, and the raw values kept for a quarantined row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# DuckDB types the raw strings are TRY_CAST to. ``date`` columns get their own rule so that
# "a date that is not a date" is reported as such, not as a generic bad value.
INT = "INTEGER"
MONEY = "DECIMAL(10,2)"
TEXT = "VARCHAR"
DATE = "DATE"
TS = "TIMESTAMP"
BOOL = "BOOLEAN"

DATE_TYPES = frozenset({DATE, TS})


@dataclass(frozen=True)
class Column:
    """One source column; ``nullable`` follows WAREHOUSE.md, everything else is required."""

    name: str
    type: str
    nullable: bool = False
    non_negative: bool = False
    references: str | None = None  # the source table whose id this column holds
    # The warehouse column's varchar(n): a longer value is quarantined, not a failed load.
    max_length: int | None = None


@dataclass(frozen=True)
class SourceTable:
    """A source table: its id column first, then its own columns; timestamps are appended."""

    name: str
    key: str
    columns: tuple[Column, ...]
    audit: tuple[Column, ...] = field(
        default=(Column("created_at", TS), Column("last_updated", TS))
    )

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return (Column(self.key, INT), *self.columns, *self.audit)

    @property
    def parents(self) -> tuple[str, ...]:
        return tuple(sorted({c.references for c in self.columns if c.references}))


def _c(name: str, type_: str = TEXT, **kw: bool | str | int) -> Column:
    return Column(name, type_, **kw)  # type: ignore[arg-type]


# Listed parents-first: a table is validated only after every table it references.
TABLES: tuple[SourceTable, ...] = (
    SourceTable("currency", "currency_id", (_c("currency_code", max_length=3),)),
    SourceTable("department", "department_id", (
        _c("department_name"), _c("location", nullable=True), _c("manager", nullable=True))),
    SourceTable("address", "address_id", (
        _c("address_line_1"), _c("address_line_2", nullable=True),
        _c("district", nullable=True), _c("city"), _c("postal_code"), _c("country"),
        _c("phone"))),
    SourceTable("design", "design_id", (
        _c("design_name"), _c("file_location"), _c("file_name"))),
    SourceTable("payment_type", "payment_type_id", (_c("payment_type_name"),)),
    SourceTable("staff", "staff_id", (
        _c("first_name"), _c("last_name"), _c("department_id", INT, references="department"),
        _c("email_address"))),
    SourceTable("counterparty", "counterparty_id", (
        _c("counterparty_legal_name"), _c("legal_address_id", INT, references="address"),
        _c("commercial_contact", nullable=True), _c("delivery_contact", nullable=True))),
    SourceTable("sales_order", "sales_order_id", (
        _c("design_id", INT, references="design"), _c("staff_id", INT, references="staff"),
        _c("counterparty_id", INT, references="counterparty"),
        _c("units_sold", INT, non_negative=True), _c("unit_price", MONEY, non_negative=True),
        _c("currency_id", INT, references="currency"),
        _c("agreed_delivery_date", DATE), _c("agreed_payment_date", DATE),
        _c("agreed_delivery_location_id", INT, references="address"))),
    SourceTable("purchase_order", "purchase_order_id", (
        _c("staff_id", INT, references="staff"),
        _c("counterparty_id", INT, references="counterparty"), _c("item_code"),
        _c("item_quantity", INT, non_negative=True),
        _c("item_unit_price", MONEY, non_negative=True),
        _c("currency_id", INT, references="currency"),
        _c("agreed_delivery_date", DATE), _c("agreed_payment_date", DATE),
        _c("agreed_delivery_location_id", INT, references="address"))),
    SourceTable("transaction", "transaction_id", (
        _c("transaction_type"),
        _c("sales_order_id", INT, nullable=True, references="sales_order"),
        _c("purchase_order_id", INT, nullable=True, references="purchase_order"))),
    SourceTable("payment", "payment_id", (
        _c("transaction_id", INT, references="transaction"),
        _c("counterparty_id", INT, references="counterparty"),
        _c("payment_amount", MONEY, non_negative=True),
        _c("currency_id", INT, references="currency"),
        _c("payment_type_id", INT, references="payment_type"), _c("paid", BOOL),
        _c("payment_date", DATE), _c("company_ac_number", INT),
        _c("counterparty_ac_number", INT))),
)

TABLES_BY_NAME: dict[str, SourceTable] = {t.name: t for t in TABLES}

# The rules, in the order they are checked; a row is quarantined for the first one it breaks.
RULES: tuple[str, ...] = (
    "invalid_key",        # the id or last_updated is missing or not typable: no version identity
    "invalid_date",       # a date or timestamp column holds something that is not a date
    "invalid_value",      # a number or boolean column holds something that does not parse
    "missing_value",      # a required column is empty
    "negative_value",     # a quantity, price or amount below zero
    "unknown_reference",  # an id of another table that never existed (as a valid row) before
)
