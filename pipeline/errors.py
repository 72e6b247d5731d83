"""The one exception type the CLI turns into a one-line message and an exit code (1 unless the
error says otherwise).

Stages raise ``PipelineError`` for failures a user can act on (unreachable database, missing
table, malformed export); its message must name what failed and where, because it is all the
user sees: the CLI prints it without a traceback.
"""

from __future__ import annotations


class PipelineError(RuntimeError):
    """A runtime failure with a complete, single-line explanation.

    ``exit_code`` is what the CLI exits with: 1 for a failure at run time, 2 (like bad
    settings) for a source that lacks something only its operator can configure.
    """

    exit_code: int = 1


class StorageError(PipelineError):
    """A storage operation failed; the message names the URI, the cause and what to check."""
