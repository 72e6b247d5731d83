"""The platform contract and the pipeline's settings name the same variables."""

from __future__ import annotations

from components.contract import SECRET_ENV_VARS, job_environment
from pipeline.settings import ENV_VARS


def test_platforms_set_exactly_the_variables_the_pipeline_marks_as_theirs():
    plain = job_environment(
        raw_storage_uri="s3://r", processed_storage_uri="s3://p", warehouse_host="h",
        warehouse_port=5432, warehouse_database="d", warehouse_user="u", environment="dev")
    expected = {v.name for v in ENV_VARS if v.required_in_cloud}
    assert set(plain) | set(SECRET_ENV_VARS) == expected
    assert not set(plain) & set(SECRET_ENV_VARS)
    assert set(SECRET_ENV_VARS) == {v.name for v in ENV_VARS if v.secret and v.required_in_cloud}
