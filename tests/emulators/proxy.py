"""A TCP proxy in front of an emulator that goes away for good when a marker passes through.

"The storage endpoint disappears in the middle of a stage" must happen at a known point, not
after a sleep: the proxy forwards bytes until the client sends one containing ``marker`` (e.g.
the name of the first object the transform writes late), then drops that request, resets every
open connection and stops listening, so later connections are refused. The emulator behind it
keeps its data, so a rerun pointed straight at the emulator shows what the failed run left.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from types import TracebackType

from tests.emulators.servers import free_port

CHUNK = 65536
# SO_LINGER on with a zero timeout: close() sends a reset, as a crashed server would.
RESET_ON_CLOSE = struct.pack("ii", 1, 0)


class TrippingProxy:
    """Forward 127.0.0.1:<port> to ``target_port`` until ``marker`` is seen from a client."""

    def __init__(self, target_port: int, marker: bytes) -> None:
        self.target_port = target_port
        self.marker = marker
        self.port = free_port()
        self.tripped = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._accepting = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> TrippingProxy:
        self._accepting.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.trip()
        self._accepting.join(timeout=5)

    def trip(self) -> None:
        """Go away: no more connections, and the open ones are reset."""
        self.tripped.set()
        with self._lock:
            sockets, self._sockets = [self._listener, *self._sockets], []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_ON_CLOSE)
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def _accept(self) -> None:
        while not self.tripped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self.tripped.is_set():
                    client.close()
                    upstream.close()
                    return
                self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False),
                             daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        tail = b""
        try:
            while data := src.recv(CHUNK):
                if from_client:
                    if self.marker in tail + data:
                        self.trip()
                        return
                    tail = data[-len(self.marker):]
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                dst.shutdown(socket.SHUT_WR)
