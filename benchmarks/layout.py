"""Where one benchmark size keeps its files, so the runner and every step agree on paths.

    <dir>/raw/         the raw zone ingest writes (the pipeline's own layout)
    <dir>/processed/   the processed zone the transform writes
    <dir>/reference/   the pandas reference's output, one Parquet file per table
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa


@dataclass(frozen=True)
class SizeDirs:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def reference(self) -> Path:
        return self.root / "reference"

    def settings(self) -> object:
        from pipeline.settings import Settings

        return Settings.local(self.root)

    def reset(self) -> None:
        """Forget earlier runs: the measured ingest must be a first batch into an empty zone."""
        for path in (self.raw, self.processed, self.reference):
            shutil.rmtree(path, ignore_errors=True)
        self.root.mkdir(parents=True, exist_ok=True)

    def raw_files(self) -> list[Path]:
        return sorted(p for p in self.raw.rglob("*.parquet") if p.is_file())

    def raw_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.raw_files())

    def processed_batches(self) -> list[str]:
        root = self.processed / "batches"
        return sorted(p.parent.name for p in root.glob("*/_SUCCESS.json"))

    def last_processed_batch(self) -> str:
        batches = self.processed_batches()
        if not batches:
            raise FileNotFoundError(f"no processed batch under {self.processed}")
        return batches[-1]

    def processed_batch(self, batch_id: str) -> Path:
        return self.processed / "batches" / batch_id

    def load_sample(self, rows: int) -> pa.Table:
        """The first ``rows`` rows (all when 0) of the first batch's fact_sales_order."""
        import pyarrow.parquet as pq

        first = self.processed_batches()[0]
        data = pq.read_table(self.processed_batch(first) / "fact_sales_order.parquet")
        return data.slice(0, rows) if rows else data
