"""Load and validate a stack's config, from a stack file or from the running Pulumi program.

Both paths end in ``validate_platform``, so ``pulumi up`` and the offline tools accept and
reject exactly the same stacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from config.defaults import ENVIRONMENT_DEFAULTS, merge, repeated_defaults
from config.enums import Environment
from config.errors import MISSING, ConfigError, Problem
from config.rules import cross_field_problems
from config.schema import PlatformConfig

NAMESPACE = "tricloud"
PLATFORM_KEY = f"{NAMESPACE}:platform"
SOURCE_URL_KEY = f"{NAMESPACE}:sourceDatabaseUrl"
SECRET_KEYS = frozenset({SOURCE_URL_KEY})
KNOWN_KEYS = frozenset({PLATFORM_KEY, *SECRET_KEYS})
_CREDENTIAL_IN_URL = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@:\s]+:[^/@\s]+@", re.IGNORECASE)
# The same shape anywhere in a text, up to the end of the URL: validators quote bad values back.
_CREDENTIAL_IN_TEXT = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/@:\s]+:[^/@\s]+@[^\s,'\"\]]*",
                                 re.IGNORECASE)
_STACK_FILE = re.compile(r"^Pulumi\.(?P<name>[a-z0-9][a-z0-9-]*)\.ya?ml$")


@dataclass(frozen=True)
class StackConfig:
    """A validated stack: its name, where it came from, and the typed platform config."""

    name: str
    source: str
    platform: PlatformConfig
    secret_keys: frozenset[str] = field(default_factory=frozenset)
    repeated_defaults: tuple[str, ...] = ()


def _set_secret_hint(key: str) -> str:
    return (f"a secret must not be stored in plain text; remove it from the file and run: "
            f"pulumi config set --secret {key} '<value>'")


# Inside the platform object no key takes a secret, so "set it as a secret" would name the whole
# object: the fix is to remove it, and the one secret the kit takes has its own key.
_PLATFORM_CREDENTIAL_HINT = (
    "the platform settings hold no credentials; remove it from the file (the source database URL "
    f"belongs in {SOURCE_URL_KEY}: pulumi config set --secret {SOURCE_URL_KEY} '<value>')")


def validate_platform(raw: Any, source: str) -> PlatformConfig:
    """Merge the environment's defaults under ``raw`` and validate; raise one ConfigError."""
    if not isinstance(raw, dict):
        raise ConfigError(source, [Problem(PLATFORM_KEY, raw, "must be a mapping of settings")])
    problems = _plain_text_credentials(raw, PLATFORM_KEY)
    env_raw = raw.get("environment")
    try:
        environment = Environment(env_raw)
    except ValueError:
        environment = None  # reported by the model below, with the allowed values
    merged = merge(ENVIRONMENT_DEFAULTS[environment], raw) if environment else raw
    try:
        platform = PlatformConfig.model_validate(merged)
    except ValidationError as exc:
        problems += [_problem(err, merged) for err in exc.errors()]
    else:
        problems += cross_field_problems(platform, PLATFORM_KEY)
    if problems:
        raise ConfigError(source, problems)
    return platform


def _problem(err: Any, data: dict[str, Any]) -> Problem:
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    key = ".".join([PLATFORM_KEY, *(str(p) for p in loc)])
    value = MISSING if err["type"] == "missing" else err.get("input")
    if not loc and isinstance(value, dict):
        value = "(several keys)"
    message = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "missing":
        message = "required"
    elif err["type"] == "enum":
        message = f"allowed: {err['ctx']['expected'].replace(' or ', ', ')}".replace("'", "")
    elif err["type"] == "extra_forbidden":
        message = f"unknown key; allowed here: {', '.join(_allowed_keys(loc[:-1]))}"
        value = _lookup(data, loc)
    return Problem(key, _redacted(value), _CREDENTIAL_IN_TEXT.sub("<redacted>", message))


def _redacted(value: Any) -> Any:
    """Never echo a credential back, even inside another problem's message."""
    if isinstance(value, str) and _CREDENTIAL_IN_URL.match(value):
        return "<redacted>"
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    return value


def _allowed_keys(loc: list[Any]) -> list[str]:
    model: type[BaseModel] = PlatformConfig
    for part in loc:
        annotation = model.model_fields[str(part)].annotation
        candidates = getattr(annotation, "__args__", (annotation,))
        model = next(c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel))
    return sorted(model.model_fields)


def _lookup(data: Any, loc: list[Any]) -> Any:
    for part in loc:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _plain_text_credentials(raw: Any, path: str) -> list[Problem]:
    """Values that carry a password (``scheme://user:pass@``) are never allowed in plain text."""
    if isinstance(raw, dict):
        return [p for k, v in raw.items() for p in _plain_text_credentials(v, f"{path}.{k}")]
    if isinstance(raw, list):
        return [p for i, v in enumerate(raw) for p in _plain_text_credentials(v, f"{path}[{i}]")]
    if isinstance(raw, str) and _CREDENTIAL_IN_URL.match(raw):
        return [Problem(path, "<redacted>", _PLATFORM_CREDENTIAL_HINT)]
    return []


def stack_name(path: Path) -> str:
    """``stacks/Pulumi.dev-aws.yaml`` -> ``dev-aws``; a misnamed file is a config error."""
    match = _STACK_FILE.match(path.name)
    if not match:
        raise ConfigError(str(path), [Problem("file name", path.name,
                                              "stack files are named Pulumi.<stack>.yaml")])
    return match["name"]


def load_stack_file(path: Path) -> StackConfig:
    """Read one ``Pulumi.<stack>.yaml`` and validate it as ``pulumi up`` would."""
    import yaml  # the offline tools only; the program reads config through Pulumi

    name = stack_name(path)
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), [Problem("file", str(path), f"unreadable: {exc}")]) from None
    config = document.get("config") if isinstance(document, dict) else None
    if not isinstance(config, dict):
        raise ConfigError(str(path), [Problem("config", config, "the file needs a config: map")])
    problems: list[Problem] = []
    for key, value in config.items():
        if key.startswith(f"{NAMESPACE}:") and key not in KNOWN_KEYS:
            allowed = ", ".join(sorted(KNOWN_KEYS))
            problems.append(Problem(key, value, f"unknown key; allowed: {allowed}"))
        if key in SECRET_KEYS and not (isinstance(value, dict) and "secure" in value):
            problems.append(Problem(key, "<redacted>", _set_secret_hint(key)))
    if PLATFORM_KEY not in config:
        problems.append(Problem(PLATFORM_KEY, MISSING, "required: the platform settings"))
    try:
        platform = validate_platform(config.get(PLATFORM_KEY, {}), str(path))
    except ConfigError as exc:
        problems += exc.problems
    if problems:
        raise ConfigError(str(path), problems)
    secrets = frozenset(k for k in SECRET_KEYS if k in config)
    repeated = tuple(repeated_defaults(config[PLATFORM_KEY], platform.environment))
    return StackConfig(name=name, source=str(path), platform=platform, secret_keys=secrets,
                       repeated_defaults=repeated)


def load_from_pulumi() -> StackConfig:
    """The running program's config, validated before any resource is declared."""
    import pulumi

    stack = pulumi.get_stack()
    raw = pulumi.Config(NAMESPACE).get_object("platform")
    if raw is None:
        raise ConfigError(f"stack {stack}", [Problem(PLATFORM_KEY, MISSING,
                                                     "required: the platform settings")])
    platform = validate_platform(raw, f"stack {stack} (stacks/Pulumi.{stack}.yaml)")
    return StackConfig(name=stack, source=f"stack {stack}", platform=platform,
                       secret_keys=SECRET_KEYS)
