"""Log sequence numbers as integers, with PostgreSQL's ``X/Y`` text form at the edges.

The server prints an LSN as two hex halves; comparing or subtracting those strings is wrong, so
every LSN inside the package is an ``int`` and only SQL parameters and messages see the text.
"""

from __future__ import annotations


def parse_lsn(text: str) -> int:
    """``'16/B374D848'`` -> its 64-bit position."""
    high, sep, low = text.partition("/")
    if not sep:
        raise ValueError(f"not an LSN: {text!r}")
    return (int(high, 16) << 32) | int(low, 16)


def format_lsn(lsn: int) -> str:
    """A 64-bit position -> the ``X/Y`` text the server accepts as ``pg_lsn``."""
    if not 0 <= lsn < 1 << 64:
        raise ValueError(f"LSN out of range: {lsn}")
    return f"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}"
