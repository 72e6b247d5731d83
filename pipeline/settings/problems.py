"""How a bad setting is reported: one error naming the variable, the value and what is allowed."""

from __future__ import annotations


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable and what is allowed."""
