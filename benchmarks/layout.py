"""Where one benchmark size keeps its files, so the runner and every step agree on paths.

    <dir>/raw/         the raw zone ingest writes (the pipeline's own layout)
    <dir>/processed/   the processed zone the transform writes
    <dir>/reference/   the pandas reference's output, one Parquet file per table
    <dir>/cdc/raw/     what the change data capture steps read (never transformed)
    <dir>/before/      the raw zone's watermarks as they were before the last ingest
    <dir>/capped/      the first transform again, under the memory cap: raw/ links to <dir>/raw
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyarrow as pa


def path_of(uri: str) -> Path:
    """The local path of a ``file://`` URI (every benchmark zone is local)."""
    return Path(unquote(urlparse(uri).path))


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

    @property
    def cdc(self) -> Path:
        return self.root / "cdc"

    @property
    def cdc_raw(self) -> Path:
        return self.cdc / "raw"

    @property
    def before(self) -> Path:
        return self.root / "before"

    def keep_watermarks(self) -> None:
        """Copy the raw zone's watermarks (if any) to ``before``, as a raw zone of its own: the
        bare COPY after an ingest reads the rows that ingest read."""
        from pipeline import raw

        shutil.rmtree(self.before, ignore_errors=True)
        found = path_of(raw.watermarks_uri(self.raw.resolve().as_uri()))
        if found.exists():
            kept = path_of(raw.watermarks_uri(self.before.resolve().as_uri()))
            kept.parent.mkdir(parents=True)
            shutil.copyfile(found, kept)

    def capped(self) -> SizeDirs:
        """A second root whose raw zone is this one's: the first transform runs there again
        under the memory cap without touching this root's processed zone."""
        other = SizeDirs(self.root / "capped")
        shutil.rmtree(other.root, ignore_errors=True)
        other.root.mkdir(parents=True)
        other.raw.symlink_to(self.raw.resolve(), target_is_directory=True)
        return other

    def settings(self) -> object:
        """The local default, with the engine settings (``TRICLOUD_MEMORY_MB``,
        ``TRICLOUD_SPILL_DIR``) of this process's environment, as the pipeline's CLI reads
        them: the runner sets them per step."""
        import dataclasses
        import os

        from pipeline.settings import EngineConfig, Settings

        return dataclasses.replace(Settings.local(self.root),
                                   engine=EngineConfig.from_env(os.environ))

    def reset(self) -> None:
        """Forget earlier runs: the measured ingest must be a first batch into an empty zone."""
        for path in (self.raw, self.processed, self.reference, self.cdc, self.before,
                     self.root / "capped"):
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
