"""Every setting is checked when the CLI starts, and every problem is reported at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.enums import Environment
from pipeline.settings import ENV_VARS, LogFormat, Settings, SettingsError
from pipeline.settings.choices import ENVIRONMENTS, STORAGE_SCHEME_ALIASES, STORAGE_SCHEMES

ROOT = Path(__file__).resolve().parents[2]
SECRET = "hunter2-do-not-print"

PLATFORM = {
    "TRICLOUD_WAREHOUSE_HOST": "db.internal", "TRICLOUD_WAREHOUSE_DB": "warehouse",
    "TRICLOUD_WAREHOUSE_USER": "etl", "TRICLOUD_RAW_URI": "s3://data/raw",
    "TRICLOUD_PROCESSED_URI": "s3://data/processed",
    "TRICLOUD_SOURCE_URL": "postgresql://etl@oltp:5432/sales",
}


def _problems(env: dict[str, str]) -> tuple[str, ...]:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    return caught.value.problems


def test_a_valid_platform_environment_parses():
    settings = Settings.from_env({**PLATFORM, "TRICLOUD_ENVIRONMENT": "prod",
                                  "TRICLOUD_LOG_FORMAT": "json"})
    assert settings.environment == "prod" and settings.log_format is LogFormat.JSON
    assert settings.warehouse is not None and settings.warehouse.port == 5432


def test_every_problem_is_named_at_once_with_value_allowed_values_and_fix():
    problems = _problems({
        **PLATFORM,
        "TRICLOUD_ENVIRONMENT": "production",
        "TRICLOUD_RAW_URI": "s4://data/raw",
        "TRICLOUD_PROCESSED_URI": "/data/processed",
        "TRICLOUD_WAREHOUSE_PORT": "5432x",
        "TRICLOUD_MEMORY_MB": "4G",
        "TRICLOUD_LOG_FORMAT": "jsn",
    })
    assert len(problems) == 6, problems
    assert ("TRICLOUD_ENVIRONMENT='production' is not an environment; use one of: dev, staging, "
            "prod, local (did you mean 'prod'?)") in problems
    assert ("TRICLOUD_RAW_URI='s4://data/raw' has an unknown scheme s4://; use one of: file://, "
            "s3://, gs://, abfs:// (did you mean 's3://'?)") in problems
    assert ("TRICLOUD_PROCESSED_URI='/data/processed' has no scheme; storage URIs start with one "
            "of: file://, s3://, gs://, abfs://; for a local folder use 'file:///data/processed'"
            ) in problems
    assert any(p.startswith("TRICLOUD_WAREHOUSE_PORT='5432x' is not a TCP port") for p in problems)
    assert any(p.startswith("TRICLOUD_MEMORY_MB='4G' is not a memory size; use the job's memory "
                            "in MiB") for p in problems)
    assert any("(did you mean 'json'?)" in p for p in problems)


def test_missing_variables_are_named_for_the_chosen_source():
    env = {k: v for k, v in PLATFORM.items() if k != "TRICLOUD_RAW_URI"}
    env.update(TRICLOUD_SOURCE="exports")
    (problem,) = _problems(env)
    assert problem == ("TRICLOUD_WAREHOUSE_HOST is set, so the pipeline runs against a real "
                       "platform and also needs: TRICLOUD_RAW_URI, TRICLOUD_LANDING_URI "
                       "(the source is exports)")


@pytest.mark.parametrize("uri, says", [
    ("gs:///raw", "names no bucket; use gs://<bucket>/<path>"),
    ("abfs://raw/x", "names no container and account"),
    ("file://data/raw", "is not an absolute file:// URI"),
    ("ftp://host/raw", "has an unknown scheme ftp://"),
])
def test_storage_uris_are_checked_before_any_stage(uri: str, says: str):
    (problem,) = _problems({"TRICLOUD_RAW_URI": uri})
    assert problem.startswith(f"TRICLOUD_RAW_URI={uri!r} {says}")


def test_warehouse_settings_without_a_host_are_not_silently_ignored():
    (problem,) = _problems({"TRICLOUD_WAREHOUSE_DB": "warehouse", "TRICLOUD_WAREHOUSE_USER": "x"})
    assert problem.startswith("TRICLOUD_WAREHOUSE_DB, TRICLOUD_WAREHOUSE_USER are set but "
                              "TRICLOUD_WAREHOUSE_HOST is not")


def test_a_misspelt_variable_is_named_with_the_real_one():
    (problem,) = _problems({"TRICLOUD_RAW_URL": "s3://data/raw", "TRICLOUD_LIVE": "1"})
    assert problem == ("TRICLOUD_RAW_URL is not a pipeline setting (did you mean "
                       "TRICLOUD_RAW_URI?); rename it, or unset it")


def test_secrets_are_never_shown():
    problems = _problems({**PLATFORM, "TRICLOUD_SOURCE_URL": f"mysql://etl:{SECRET}@h/db",
                          "TRICLOUD_AZURE_ACCOUNT_KEY": f"{SECRET}!"})
    assert len(problems) == 3  # the URL, and the key: not base64, and no emulator endpoint
    assert all(SECRET not in p for p in problems)
    assert "TRICLOUD_SOURCE_URL (a secret, value not shown) is not a PostgreSQL URL" in problems[0]


def test_the_closed_choices_match_their_owners():
    from pipeline.filesystems import BACKENDS

    assert tuple(e.value for e in Environment) == ENVIRONMENTS
    assert set(BACKENDS) == set(STORAGE_SCHEMES) | set(STORAGE_SCHEME_ALIASES)
    assert len({v.name for v in ENV_VARS}) == len(ENV_VARS)


def test_the_cli_reports_all_problems_before_any_stage_and_exits_2(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRICLOUD_")}
    env.update(PLATFORM, TRICLOUD_ENVIRONMENT="production", TRICLOUD_RAW_URI="s4://data/raw",
               TRICLOUD_WAREHOUSE_PASSWORD=SECRET, TRICLOUD_LOCAL_DIR=str(tmp_path / "local"))
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "pipeline: error: 2 settings problems, nothing was run:",
        "  - TRICLOUD_RAW_URI='s4://data/raw' has an unknown scheme s4://; use one of: file://, "
        "s3://, gs://, abfs:// (did you mean 's3://'?)",
        "  - TRICLOUD_ENVIRONMENT='production' is not an environment; use one of: dev, staging, "
        "prod, local (did you mean 'prod'?)",
    ]
    assert SECRET not in proc.stderr + proc.stdout
    assert not (tmp_path / "local").exists()
