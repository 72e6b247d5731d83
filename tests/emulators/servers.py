"""Start a storage emulator as a child process on a free 127.0.0.1 port; stop it afterwards.

Each emulator is described by a ``Spec`` (its command for a port, and what its clients need:
the endpoint variable, URIs, credentials); the process helpers are shared. Readiness means an
HTTP answer on the port, waited for with a bound, and an early exit shows the emulator's log.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
# Azurite's published development account and key (the same on every machine).
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
               "K1SZFPTOtr/KBHBeksoGMGw==")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Emulator:
    """A running emulator: where it answers and how the pipeline is pointed at it."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    # scheme of the pipeline's URIs and the environment that routes them here
    scheme: str
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_SECONDS)


def _answers_http(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/")
        conn.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        conn.close()


def start(name: str, command: Callable[[int], list[str]], workdir: Path, *, scheme: str,
          env: Callable[[str], dict[str, str]],
          process_env: dict[str, str] | None = None) -> Emulator:
    """Run ``command(port)`` in ``workdir`` until it answers HTTP (bounded), else fail loudly."""
    port = free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command(port), cwd=workdir, stdout=sink,
                                   stderr=subprocess.STDOUT,
                                   env={**os.environ, **(process_env or {})})
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while not _answers_http(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait(STOP_TIMEOUT_SECONDS)
            tail = log.read_text(errors="replace").strip().splitlines()[-5:]
            raise RuntimeError(f"{name} did not start on 127.0.0.1:{port}: " + " | ".join(tail))
        time.sleep(0.1)
    url = f"http://127.0.0.1:{port}"
    return Emulator(name, port, process, log, scheme, env(url))


def moto(workdir: Path, **extra_env: str) -> Emulator:
    """moto in server mode (S3); credentials are any key pair unless moto's auth is on."""
    def command(port: int) -> list[str]:
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]

    def env(url: str) -> dict[str, str]:
        return {"TRICLOUD_S3_ENDPOINT": url, "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_EC2_METADATA_DISABLED": "true"}

    return start("moto", command, workdir, scheme="s3", env=env, process_env=extra_env)


def gcs(workdir: Path) -> Emulator:
    """gcp-storage-emulator, in memory; the pipeline connects anonymously to an endpoint."""
    def command(port: int) -> list[str]:
        return [sys.executable, "-m", "gcp_storage_emulator", "start", "--host", "127.0.0.1",
                "--port", str(port), "--in-memory", "--quiet"]

    return start("gcs", command, workdir, scheme="gs",
                 env=lambda url: {"TRICLOUD_GCS_ENDPOINT": url})


def azurite(workdir: Path, binary: Path) -> Emulator:
    """Azurite's blob service, in memory, accepting whatever API version pyarrow's SDK sends."""
    def command(port: int) -> list[str]:
        return [str(binary), "--blobHost", "127.0.0.1", "--blobPort", str(port),
                "--inMemoryPersistence", "--skipApiVersionCheck", "--loose"]

    return start("azurite", command, workdir, scheme="abfs",
                 env=lambda url: {"TRICLOUD_AZURE_BLOB_ENDPOINT": url,
                                  "TRICLOUD_AZURE_ACCOUNT_KEY": AZURITE_KEY})
