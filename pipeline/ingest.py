"""Ingest: copy new and changed source rows into the raw zone as one committed batch.

This is the watermark and exports path; ``TRICLOUD_SOURCE=cdc`` reads the replication slot
instead (``pipeline.source.cdc.stage``) into the same raw zone.

Per table, rows with ``last_updated >= watermark - overlap`` are read (the overlap catches rows
committed late with an older timestamp; the load de-duplicates on id + last_updated), written
as Parquet parts under a fresh batch id, then the manifest commits the batch and only then do
the watermarks advance. Any failure before the manifest removes the batch's files and leaves
the watermarks where they were, so a rerun starts from the same place.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import raw
from pipeline.errors import PipelineError, StorageError
from pipeline.session import Session
from pipeline.settings import SOURCE_URL, Settings, SettingsError, SourceKind
from pipeline.source.base import Source
from pipeline.source.tables import TABLES, SourceTable
from pipeline.stages import StageResult


def open_source(settings: Settings, source_url: str | None) -> Source:
    """The configured source; ``source_url`` overrides the settings (the local server's URL)."""
    if settings.source is SourceKind.EXPORTS:
        from pipeline.source.exports import ExportsSource, already_ingested

        if not settings.landing_uri:
            raise SettingsError("TRICLOUD_SOURCE=exports needs TRICLOUD_LANDING_URI")
        return ExportsSource(settings.landing_uri,
                             already_ingested(raw.committed_batches(settings.raw_uri)))
    from pipeline.source.postgres import PostgresSource

    url = source_url or settings.source_url
    if not url:
        raise SettingsError("TRICLOUD_SOURCE_URL is not set: no source database to read")
    return PostgresSource(url)


def _newest(batch: pa.RecordBatch, current: datetime | None) -> datetime | None:
    """The newest last_updated in a batch; text columns (exports) are parsed when they can be."""
    column = batch.column("last_updated")
    if not pa.types.is_timestamp(column.type):
        try:
            column = pc.cast(column, pa.timestamp("us"))
        except pa.ArrowInvalid:  # a bad timestamp is the transform's to quarantine
            return current
    found = pc.max(column).as_py()
    if found is None:
        return current
    return found if current is None or found > current else current


def _check_source(source: Source, tables: Sequence[SourceTable], *, embedded: bool) -> None:
    """The source has every table; an empty embedded source says how to fill it."""
    try:
        source.check(tables)
    except PipelineError as exc:
        if not embedded:
            raise
        raise PipelineError(f"{exc}; the embedded source starts empty: fill it with synthetic "
                            "data (`pipeline seed`), try `pipeline demo`, or set "
                            f"{SOURCE_URL.name} to your own database") from None


def run(session: Session, *, tables: Sequence[SourceTable] = TABLES,
        rows_per_part: int = 1_000_000) -> StageResult:
    """Ingest one batch from the configured source into ``settings.raw_uri``, re-reading
    ``session.overlap`` before each table's watermark; the cdc source has its own stage."""
    if session.settings.source is SourceKind.CDC:
        from pipeline.source.cdc import stage

        return stage.run(session, tables=tables, rows_per_part=rows_per_part)
    started = time.perf_counter()
    settings, overlap = session.settings, session.overlap
    batch_id = raw.new_batch_id()
    marks = raw.read_watermarks(settings.raw_uri)
    written: list[raw.TableParts] = []
    seen: dict[str, datetime] = {}
    try:
        with open_source(settings, session.source_url) as source:
            _check_source(source, tables, embedded=settings.is_local and not settings.source_url)
            for table in tables:
                since = marks[table.name] - overlap if table.name in marks else None
                parts = raw.TableParts(settings.raw_uri, table.name, batch_id, rows_per_part)
                written.append(parts)
                newest: datetime | None = None
                with session.run_log.progress(f"ingest {table.name}") as advance:
                    for batch in source.read(table, since):
                        parts.add(batch)
                        newest = _newest(batch, newest)
                        advance(batch.num_rows)
                    parts.flush()
                if newest is not None:
                    seen[table.name] = newest
            extras = {t.name: source.manifest_extras(t) for t in tables}
            manifest = raw.write_manifest(settings.raw_uri, batch_id, source.kind, written,
                                          extras)
    except BaseException:
        raw.discard([uri for parts in written for uri in parts.files])
        raise
    try:
        raw.advance_watermarks(settings.raw_uri, seen)
    except StorageError as exc:  # the batch is committed; the next run re-reads a little more
        raise PipelineError(f"batch {batch_id} committed but watermarks at "
                            f"{raw.watermarks_uri(settings.raw_uri)} not advanced: {exc}") from None
    rows = sum(p.rows for p in written)
    return StageResult(
        stage="ingest", rows_in=rows, rows_out=rows, seconds=time.perf_counter() - started,
        details={"batch_id": batch_id, "manifest": manifest, "source": source.kind,
                 "tables": {p.table: p.rows for p in written}})
