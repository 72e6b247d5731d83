"""Reading one variable: each reader returns the value, or records a problem and returns None.

Nothing raises on the first bad value: the parser reads every variable through one ``Reader``
and raises all its problems together (``Reader.check``). A secret's value never appears in a
problem, not even in part.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.settings.choices import STORAGE_SCHEME_ALIASES, STORAGE_SCHEMES
from pipeline.settings.problems import SettingsError
from pipeline.settings.variables import ENV_VAR_NAMES, EnvVar

_ALLOWED_SCHEMES = ", ".join(f"{s}://" for s in STORAGE_SCHEMES)


def suggest(value: str, allowed: Sequence[str], *, cutoff: float = 0.6) -> str | None:
    """The allowed value the user most likely meant: a prefix either way, else a close match."""
    lowered = value.strip().lower()
    for candidate in allowed:
        if lowered and (lowered.startswith(candidate) or candidate.startswith(lowered)):
            return candidate
    close = difflib.get_close_matches(lowered, allowed, n=1, cutoff=cutoff)
    return close[0] if close else None


def _mean(value: str, allowed: Sequence[str], *, cutoff: float = 0.6, form: str = "{}") -> str:
    guess = suggest(value, allowed, cutoff=cutoff)
    return f" (did you mean {form.format(guess)!r}?)" if guess else ""


class Reader:
    """Reads the variables of one environment mapping, collecting every problem.

    An empty value counts as unset: a platform that renders an absent output as ``""`` gets the
    default, not an error about an empty string.
    """

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def get(self, var: EnvVar) -> str | None:
        value = self.env.get(var.name)
        return value if value else None

    def has(self, var: EnvVar) -> bool:
        return self.get(var) is not None

    def problem(self, var: EnvVar, message: str, value: str | None = None) -> None:
        """Record ``NAME='value' message``; a secret's value is replaced by a notice."""
        if value is None:
            self.problems.append(f"{var.name} {message}")
        elif var.secret:
            self.problems.append(f"{var.name} (a secret, value not shown) {message}")
        else:
            self.problems.append(f"{var.name}={value!r} {message}")

    def check(self) -> None:
        SettingsError.raise_if_any(self.problems)

    # -- readers ---------------------------------------------------------------------------

    def choice(self, var: EnvVar, allowed: Sequence[str], what: str) -> str | None:
        value = self.get(var)
        if value is None or value in allowed:
            return value
        self.problem(var, f"is not {what}; use one of: {', '.join(allowed)}"
                     + _mean(value, allowed), value)
        return None

    def port(self, var: EnvVar) -> int | None:
        value = self.get(var)
        if value is None:
            return None
        if value.isdigit() and 0 < int(value) < 65536:
            return int(value)
        self.problem(var, "is not a TCP port; use a number from 1 to 65535, e.g. 5432", value)
        return None

    def memory_mb(self, var: EnvVar, *, least: int = 256) -> int | None:
        value = self.get(var)
        if value is None:
            return None
        if value.isdigit() and int(value) >= least:
            return int(value)
        self.problem(var, f"is not a memory size; use the job's memory in MiB as a whole "
                     f"number, at least {least}, e.g. 4096 for 4 GiB", value)
        return None

    def folder(self, var: EnvVar) -> Path | None:
        value = self.get(var)
        if value is None:
            return None
        path = Path(value).expanduser()
        if path.exists() and not path.is_dir():
            self.problem(var, "is a file, not a folder; name a folder (it is created if "
                         "missing)", value)
            return None
        return path

    def storage_uri(self, var: EnvVar) -> str | None:
        """A storage URI of a served scheme, with what that scheme needs (bucket, account)."""
        value = self.get(var)
        if value is None:
            return None
        message = storage_uri_problem(value)
        if message:
            self.problem(var, message, value)
            return None
        return value

    def postgres_url(self, var: EnvVar) -> str | None:
        """A libpq URL or key=value string; checked for shape only (the server is not asked)."""
        value = self.get(var)
        if value is None:
            return None
        if "://" in value:
            scheme = value.split("://", 1)[0]
            if scheme not in ("postgresql", "postgres"):
                self.problem(var, "is not a PostgreSQL URL (its scheme is not postgresql://); "
                             "use postgresql://<user>@<host>:5432/<database>", value)
                return None
            try:
                urlsplit(value).port  # noqa: B018 - raises on a port out of range
            except ValueError:
                self.problem(var, "has a port that is not a number from 1 to 65535; use "
                             "postgresql://<user>@<host>:5432/<database>", value)
                return None
        elif "=" not in value:
            self.problem(var, "is neither a postgresql:// URL nor libpq key=value settings; use "
                         "postgresql://<user>@<host>:5432/<database>", value)
            return None
        return value

    def host(self, var: EnvVar) -> str | None:
        value = self.get(var)
        if value is None:
            return None
        if "://" in value or ("/" in value.strip("/") and not value.startswith("/")):
            self.problem(var, "is not a host name; give the host alone (e.g. db.internal, "
                         "10.0.0.5, or a socket folder like /cloudsql/<instance>) and the port, "
                         "database and user in their own variables", value)
            return None
        return value

    def unknown_names(self, prefix: str = "TRICLOUD_") -> None:
        """A set variable that is not a setting but looks like one is most likely a typo that
        would leave the real setting at its default."""
        for name in sorted(self.env):
            if not name.startswith(prefix) or name in ENV_VAR_NAMES:
                continue
            close = difflib.get_close_matches(name, sorted(ENV_VAR_NAMES), n=1, cutoff=0.85)
            if close:
                self.problems.append(f"{name} is not a pipeline setting (did you mean "
                                     f"{close[0]}?); rename it, or unset it")


def storage_uri_problem(value: str) -> str | None:
    """What is wrong with a storage URI, or None; the message ends with the fix."""
    if "://" not in value:
        fix = f"file://{value}" if value.startswith("/") else None
        return ("has no scheme; storage URIs start with one of: " + _ALLOWED_SCHEMES
                + (f"; for a local folder use {fix!r}" if fix else
                   ", e.g. s3://<bucket>/raw or file:///absolute/folder"))
    parts = urlsplit(value)
    scheme = STORAGE_SCHEME_ALIASES.get(parts.scheme, parts.scheme)
    if scheme not in STORAGE_SCHEMES:
        shown = value.split("://", 1)[0]
        return (f"has an unknown scheme {shown}://; use one of: {_ALLOWED_SCHEMES}"
                + _mean(shown, list(STORAGE_SCHEMES), cutoff=0.5, form="{}://"))
    shape = STORAGE_SCHEMES[scheme]
    if scheme == "file" and parts.netloc not in ("", "localhost"):
        return (f"is not an absolute file:// URI ({parts.netloc!r} reads as a host); use "
                f"file:///{parts.netloc}{parts.path} for an absolute folder")
    if scheme in ("s3", "gs") and not parts.netloc:
        return f"names no bucket; use {shape}"
    if scheme == "abfs" and not (parts.username and parts.hostname):
        return f"names no container and account; use {shape}"
    return None
