"""``tricloud new-stack``: a new region (or environment) as one valid stack file.

The file holds only what differs from the environment's defaults, like the hand-written ones, and
gets the next free network range of its cloud's address block, so it never clashes with an
existing stack and the ranges stay readable (10.2x is always GCP).

Address plan: each cloud owns ten /16s of 10.0.0.0/8. A new stack takes the lowest /16 of its
cloud's block that overlaps no existing stack of any cloud.
"""

from __future__ import annotations

import ipaddress
import tempfile
from dataclasses import dataclass
from pathlib import Path

from config.addressing import IPv4Network, lowest_free
from config.enums import Cloud, Environment
from config.errors import ConfigError
from config.loader import SOURCE_URL_KEY, load_stack_file
from config.regions import region_problem
from config.stacks import load_all

BLOCK_SIZE = 10  # /16s per cloud
CLOUD_BLOCKS: dict[Cloud, IPv4Network] = {
    Cloud.AWS: ipaddress.IPv4Network("10.10.0.0/16"),
    Cloud.GCP: ipaddress.IPv4Network("10.20.0.0/16"),
    Cloud.AZURE: ipaddress.IPv4Network("10.30.0.0/16"),
}


class NewStackError(Exception):
    """A stack file that cannot be written as asked; the message says what to do instead."""


@dataclass(frozen=True)
class NewStack:
    """What to create; ``project`` is the GCP project id (required for GCP, refused elsewhere)."""

    cloud: Cloud
    region: str
    environment: Environment
    project: str | None = None
    alert_emails: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.environment}-{self.cloud}-{self.region}"


def block_ranges(cloud: Cloud) -> list[IPv4Network]:
    """The /16s a cloud's stacks are numbered from, lowest first."""
    first = CLOUD_BLOCKS[cloud]
    return [ipaddress.IPv4Network((int(first.network_address) + (i << 16), 16))
            for i in range(BLOCK_SIZE)]


def next_free_range(cloud: Cloud, taken: list[IPv4Network]) -> IPv4Network:
    found = lowest_free(block_ranges(cloud), taken)
    if found is None:
        blocks = block_ranges(cloud)
        raise NewStackError(
            f"the {cloud} address block {blocks[0].network_address}-"
            f"{blocks[-1].broadcast_address} is exhausted ({BLOCK_SIZE} /16s, all used by "
            "existing stacks); remove an unused stack file or widen CLOUD_BLOCKS in "
            "tricloud/newstack.py")
    return found


def _check_region(cloud: Cloud, region: str) -> None:
    problem = region_problem(cloud, region)
    if problem:
        raise NewStackError(f"region {problem}")


def render(spec: NewStack, cidr: IPv4Network) -> str:
    """The stack file's text: only what differs from the defaults, plus how to set the secret."""
    block = block_ranges(spec.cloud)
    lines = [
        f"# Written by `tricloud new-stack`: the {spec.environment} defaults apply (see",
        "# docs/config.md); add only what differs. network.cidr is the lowest free /16 of the",
        f"# {spec.cloud} block ({block[0]} to {block[-1]}).",
        "config:",
        "  tricloud:platform:",
        f"    cloud: {spec.cloud}",
        f"    region: {spec.region}",
        f"    environment: {spec.environment}",
    ]
    if spec.project:
        lines += ["    gcp:", f"      project: {spec.project}"]
    lines += ["    network:", f"      cidr: {cidr}"]
    if spec.alert_emails:
        lines += ["    alerts:", f"      emails: [{', '.join(spec.alert_emails)}]"]
    else:
        lines += ["    # alerts:", "    #   emails: [data-oncall@example.com]"]
    lines += [
        f"  # {SOURCE_URL_KEY} (the OLTP source's URL) is a secret: never write it here. Set it",
        "  # encrypted, which adds it to this file:",
        f"  #   pulumi stack init {spec.name}",
        f"  #   pulumi config set --secret {SOURCE_URL_KEY} "
        f"'postgresql://user:password@host:5432/sales' --stack {spec.name}",
    ]
    return "\n".join(lines) + "\n"


def create(spec: NewStack, stacks_dir: Path) -> tuple[Path, IPv4Network]:
    """Write the stack file, validated, or raise NewStackError and write nothing."""
    _check_region(spec.cloud, spec.region)
    if (spec.cloud is Cloud.GCP) != bool(spec.project):
        raise NewStackError("--project (the GCP project id) is required for a gcp stack"
                            if spec.cloud is Cloud.GCP else
                            f"--project is for gcp stacks only; a {spec.cloud} stack has none")
    path = stacks_dir / f"Pulumi.{spec.name}.yaml"
    if path.exists():
        raise NewStackError(f"{path} already exists; edit it, or pick another region or "
                            "environment")
    taken = [s.platform.network.cidr for s in load_all(stacks_dir)]
    cidr = next_free_range(spec.cloud, taken)
    text = render(spec, cidr)
    with tempfile.TemporaryDirectory() as scratch:  # validate before touching stacks/
        trial = Path(scratch) / path.name
        trial.write_text(text)
        try:
            load_stack_file(trial)
        except ConfigError as error:
            problems = "; ".join(f"{p.key} = {p.value!r}: {p.message}" for p in error.problems)
            raise NewStackError(f"{path.name} would not be valid: {problems}") from None
    with path.open("x") as out:  # never overwrite, even one written meanwhile
        out.write(text)
    return path, cidr
