"""Vectorised column builders for the synthetic source: numpy draws in, Arrow arrays out.

The generator must make 10M orders in reasonable time, so nothing here loops over rows in
Python: strings are assembled with Arrow compute kernels, money is built from integer cents
straight into decimal buffers (exact, no float rounding), dates come from integer day counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
_EPOCH = datetime(1970, 1, 1)


def epoch_us(moment: datetime) -> int:
    """Microseconds since the epoch of a naive (source-local) timestamp."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def timestamps(us: np.ndarray) -> pa.Array:
    """A ``timestamp(us)`` array from int64 microseconds since the epoch."""
    return pa.array(us.astype(np.int64), type=pa.timestamp("us"))


def date_strings(us: np.ndarray) -> pa.Array:
    """'YYYY-MM-DD' strings, the way the source stores agreed and payment dates (varchar)."""
    days = (us // US_PER_DAY).astype("datetime64[D]")
    return pa.array(days).cast(pa.string())


def money(cents: np.ndarray) -> pa.Array:
    """An exact ``numeric(10,2)`` array from integer cents (two's-complement 128-bit buffer)."""
    cents = cents.astype(np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = np.where(cents < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(10, 2), len(cents),
                                 [None, pa.py_buffer(words.tobytes())])


def ints(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int32), type=pa.int32())


def pick(rng: np.random.Generator, choices: Sequence[str], n: int,
         weights: Sequence[float] | None = None) -> pa.Array:
    """``n`` strings drawn from ``choices`` (optionally weighted)."""
    p = None if weights is None else np.asarray(weights, dtype=float) / sum(weights)
    idx = rng.choice(len(choices), size=n, p=p)
    return pa.array(list(choices), type=pa.string()).take(pa.array(idx))


def text(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as strings, zero-padded to ``width``."""
    out = pa.array(values.astype(np.int64)).cast(pa.string())
    return pc.utf8_lpad(out, width, "0") if width else out


def concat(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation of arrays and literal strings."""
    return pc.binary_join_element_wise(*parts, "")


def code(rng: np.random.Generator, n: int, length: int, alphabet: str) -> pa.Array:
    """Random fixed-length codes (item codes, postcode letters) without a per-row loop."""
    letters = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    raw = letters[rng.integers(0, len(letters), size=(n, length))]
    return pa.array(np.ascontiguousarray(raw).view(f"S{length}").ravel()).cast(pa.string())


def null_some(rng: np.random.Generator, values: pa.Array, fraction: float) -> pa.Array:
    """Replace about ``fraction`` of the values with NULL (nullable source columns)."""
    mask = pa.array(rng.random(len(values)) < fraction)
    return pc.if_else(mask, pa.scalar(None, values.type), values)
