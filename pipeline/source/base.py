"""The one small interface ingest reads through; ``PostgresSource`` and ``ExportsSource`` are
its real implementations.

A source is a context manager (connect or list once, release on exit), checks up front that
every table it will be asked for exists, and streams a table's changed rows as Arrow record
batches, never as a whole table of Python objects.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Self

import pyarrow as pa

from pipeline.source.tables import SourceTable


class Source(ABC):
    """Where ingest reads from; ``kind`` is written into each batch manifest."""

    kind: str

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:  # noqa: B027 - optional hook, most sources hold nothing open
        """Release connections; called on exit from the ``with`` block."""

    @abstractmethod
    def check(self, tables: Sequence[SourceTable]) -> None:
        """Fail fast, before any data is written, if the source or a table is missing."""

    @abstractmethod
    def read(self, table: SourceTable, since: datetime | None) -> Iterator[pa.RecordBatch]:
        """The table's rows changed at or after ``since`` (all rows when ``None``)."""

    def manifest_extras(self, table: SourceTable) -> dict[str, Any]:
        """Extra fields for the table's manifest entry (e.g. which export files were used)."""
        return {}
