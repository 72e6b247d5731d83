"""A TCP port on 127.0.0.1 that forwards to a Unix socket, for the embedded PostgreSQL server.

The embedded server listens only on a Unix socket, but a platform hands the container a host and
a port (`TRICLOUD_WAREHOUSE_HOST`/`_PORT`, a `host:port` source URL). Forwarding bytes keeps the
real server and the real wire protocol while the container-shaped run connects the way it would
in the cloud.
"""

from __future__ import annotations

import selectors
import socket
import socketserver
import threading
from types import TracebackType


class _Forward(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        upstream.connect(self.server.unix_path)
        peers = {self.request: upstream, upstream: self.request}
        with upstream, selectors.DefaultSelector() as selector:
            for sock in peers:
                selector.register(sock, selectors.EVENT_READ)
            while not self.server.stopping.is_set():
                for key, _ in selector.select(timeout=0.5):
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    peers[key.fileobj].sendall(data)  # type: ignore[index]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, unix_path: str) -> None:
        self.unix_path = unix_path
        self.stopping = threading.Event()
        super().__init__(("127.0.0.1", 0), _Forward)


class TcpBridge:
    """Forwards 127.0.0.1:<port> to `unix_path` until the context exits."""

    def __init__(self, unix_path: str) -> None:
        self._server = _Server(unix_path)
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.2}, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def __enter__(self) -> TcpBridge:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
