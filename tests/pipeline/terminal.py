"""Run the pipeline CLI as a person would: stdout and stderr on a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def screen_lines(raw: str) -> list[str]:
    """What is left on screen, roughly: escape codes dropped, a carriage return overwrites the
    line it returns to (so a progress bar's frames collapse to what followed them)."""
    lines = []
    for line in _ESCAPE.sub("", raw).split("\n"):
        shown = line.rstrip("\r").split("\r")[-1].rstrip()
        if shown:
            lines.append(shown)
    return lines


def run_on_terminal(*args: str, env: dict[str, str], timeout: float = 300) -> tuple[int, str]:
    """(exit code, everything the terminal received) of ``pipeline *args``."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal)
    os.close(terminal)
    received = bytearray()
    try:
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the last holder of the terminal has exited
                break
            if not chunk:
                break
            received += chunk
    finally:
        os.close(controller)
    return proc.wait(timeout=timeout), received.decode(errors="replace")
