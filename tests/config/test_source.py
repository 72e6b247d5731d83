"""``pipeline.source``: which source a stack's job ingests from, and the job memory it is told.

The rule is checked against the pipeline's own list of sources (``pipeline.settings``): a stack
may choose only what the platforms can give a job everything for and what the pipeline reads.
"""

from __future__ import annotations

import pytest

from config.enums import Environment, Source
from config.errors import ConfigError
from config.loader import validate_platform
from pipeline.settings import SourceKind
from tests.config.test_schema import BASE, problems, with_
from tricloud.reference import config_reference

READABLE = {kind.value for kind in SourceKind}


@pytest.mark.parametrize("environment", list(Environment))
def test_source_defaults_to_postgres_in_every_environment(environment: Environment):
    platform = validate_platform(with_("environment", environment.value), "t")
    assert platform.pipeline.source is Source.POSTGRES


def test_an_unknown_source_names_the_key_the_value_and_the_allowed_values():
    with pytest.raises(ConfigError) as info:
        validate_platform(with_("pipeline.source", "kafka"), "stacks/Pulumi.dev-aws.yaml")
    assert str(info.value).splitlines()[1:] == [
        "  - tricloud:platform.pipeline.source = 'kafka': allowed: postgres, cdc, exports"]
    assert str(info.value).startswith("stacks/Pulumi.dev-aws.yaml: 1 problem")


def test_exports_is_refused_because_no_platform_creates_its_landing_storage():
    message = problems(with_("pipeline.source", "exports"))["pipeline.source"]
    assert message.startswith("the exports source reads a landing storage (TRICLOUD_LANDING_URI) "
                              "that the platforms do not create; use postgres")
    assert "TRICLOUD_SOURCE=exports" in message


@pytest.mark.parametrize("source", [s for s in Source if s is not Source.EXPORTS])
def test_a_source_is_accepted_exactly_when_the_pipeline_reads_it(source: Source):
    raw = with_("pipeline.source", source.value)
    if source.value in READABLE:
        assert validate_platform(raw, "t").pipeline.source is source
    else:
        runnable = [s.value for s in Source if s.value in READABLE and s is not Source.EXPORTS]
        assert problems(raw)["pipeline.source"] == (
            f"this version of the pipeline has no {source.value} source; allowed: "
            f"{', '.join(runnable)}")


def test_postgres_is_a_source_the_pipeline_reads():
    assert Source.POSTGRES.value in READABLE


@pytest.mark.parametrize(("memory_gb", "cpu", "mib"), [(0.5, 0.25, 512), (2, 1, 2048),
                                                       (4, 2, 4096), (3.5, 1, 3584)])
def test_the_job_memory_in_mib_is_what_the_stack_gives_the_job(memory_gb, cpu, mib):
    raw = with_("pipeline.memory_gb", memory_gb, with_("pipeline.cpu", cpu, BASE))
    assert validate_platform(raw, "t").pipeline.memory_mb == mib


def test_the_config_reference_documents_the_source_with_its_default():
    (row,) = [line for line in config_reference().splitlines()
              if line.startswith("| `pipeline.source` |")]
    assert row.startswith("| `pipeline.source` | Source | `postgres` | What the job ingests: ")
    assert all(f"`{s.value}`" in row for s in Source)
