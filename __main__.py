"""The Pulumi program: load the stack's one config, build its cloud's platform, export outputs."""

import pulumi

from components.context import StackContext
from components.registry import build_platform
from config.errors import ConfigError
from config.loader import NAMESPACE, load_from_pulumi

try:
    stack = load_from_pulumi()
except ConfigError as error:
    raise pulumi.RunError(str(error)) from None

source_url = pulumi.Config(NAMESPACE).get_secret("sourceDatabaseUrl")
if source_url is None:
    raise pulumi.RunError(
        "tricloud:sourceDatabaseUrl is not set; run: "
        "pulumi config set --secret tricloud:sourceDatabaseUrl 'postgresql://...'")

build_platform(StackContext.from_stack(stack, source_url)).export()
