"""pgoutput's text values -> the Python values the watermark source's Arrow types hold.

The watermark source reads ``int`` columns as int32, ``numeric`` as decimal, ``timestamp`` as
naive microsecond timestamps, ``boolean`` as bool and ``varchar``/``text`` as strings
(``pipeline.source.tables``). A change must carry the same values, or the same row would differ
by source; so the parse is chosen by the column's type OID from the Relation message, which the
server sends before any row of that relation.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

BOOL, INT8, INT2, INT4, TEXT, FLOAT4, FLOAT8 = 16, 20, 21, 23, 25, 700, 701
VARCHAR, BPCHAR, TIMESTAMP, TIMESTAMPTZ, NUMERIC = 1043, 1042, 1114, 1184, 1700


class BadValueError(ValueError):
    """A text value the server sent does not parse as its declared type."""


def _bool(text: str) -> bool:
    if text not in ("t", "f"):
        raise BadValueError(f"not a boolean: {text!r}")
    return text == "t"


def _timestamp(text: str) -> datetime:
    """``timestamp`` text is ISO with a space; infinity has no Arrow equivalent, so refuse it."""
    if text in ("infinity", "-infinity"):
        raise BadValueError(f"timestamp {text} cannot be represented")
    return datetime.fromisoformat(text)


def _timestamptz(text: str) -> datetime:
    """The server prints ``+00`` style offsets; ``fromisoformat`` accepts them from 3.11."""
    return _timestamp(text)


def _numeric(text: str) -> Decimal:
    value = Decimal(text)
    if not value.is_finite():
        raise BadValueError(f"numeric {text} cannot be represented")
    return value


PARSERS: dict[int, Callable[[str], object]] = {
    BOOL: _bool, INT2: int, INT4: int, INT8: int, FLOAT4: float, FLOAT8: float,
    NUMERIC: _numeric, TIMESTAMP: _timestamp, TIMESTAMPTZ: _timestamptz,
    TEXT: str, VARCHAR: str, BPCHAR: str,
}


def parse(type_oid: int, text: str) -> object:
    """The typed value of one column; types outside the contract stay as their text form."""
    parser = PARSERS.get(type_oid, str)
    try:
        return parser(text)
    except BadValueError:
        raise
    except (ValueError, ArithmeticError) as exc:
        raise BadValueError(f"{text!r} is not a valid value of type oid {type_oid}: {exc}") \
            from None
