"""The pipeline tests' real PostgreSQL fixtures, shared with the benchmark reference tests."""

from tests.pipeline.conftest import (  # noqa: F401
    make_database,
    pg_server,
    pipeline_settings,
    source_url,
)
