"""The Pulumi program: load the stack's one config, build its cloud's platform, export outputs."""

import pulumi

from components.context import StackContext
from components.registry import build_platform
from config.errors import ConfigError
from config.loader import NAMESPACE, SOURCE_URL_KEY, load_from_pulumi

try:
    stack = load_from_pulumi()
except ConfigError as error:
    raise pulumi.RunError(str(error)) from None

source_url = pulumi.Config(NAMESPACE).get_secret(SOURCE_URL_KEY.removeprefix(f"{NAMESPACE}:"))
if source_url is None:
    raise pulumi.RunError(
        f"{SOURCE_URL_KEY} is not set; run: "
        f"pulumi config set --secret {SOURCE_URL_KEY} 'postgresql://...'")

build_platform(StackContext.from_stack(stack, source_url)).export()
