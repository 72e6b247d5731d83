"""The one exception type the CLI turns into a one-line message and exit code 1.

Stages raise ``PipelineError`` for failures a user can act on (unreachable database, missing
table, malformed export); its message must name what failed and where, because it is all the
user sees: the CLI prints it without a traceback.
"""

from __future__ import annotations


class PipelineError(RuntimeError):
    """A runtime failure with a complete, single-line explanation."""


class StorageError(PipelineError):
    """A storage operation failed; the message names the URI, the cause and what to check."""
