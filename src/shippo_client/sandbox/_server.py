"""The HTTP/1.1 server around SandboxApp: one thread per connection, keep-alive."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ._app import SandboxApp
from ._http import Request, Response, json_response

__all__ = ["SandboxServer"]

logger = logging.getLogger("shippo_client.sandbox")

MAX_BODY_BYTES = 1024 * 1024

# An idle keep-alive connection is closed after this many seconds.
IDLE_TIMEOUT_S = 60.0


class _BodyTooLarge(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "shippo-sandbox"
    sys_version = ""
    timeout = IDLE_TIMEOUT_S
    # A buffered writer sends the headers and the body in one segment, which
    # avoids the 40 ms stall of Nagle's algorithm meeting delayed ACKs.
    wbufsize = 64 * 1024
    server: SandboxServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def __getattr__(self, name: str) -> Any:
        # http.server responds 501 to a method without a do_ handler, where a
        # real API responds 405 with an Allow header. The app decides instead.
        if name.startswith("do_"):
            return self._dispatch
        raise AttributeError(name)

    def _dispatch(self) -> None:
        started = time.perf_counter()
        response = self._read_and_handle()
        self._send(response)
        self.server.count_request()
        logger.debug(
            "%s %s -> %d in %.1f ms",
            self.command,
            self.path,
            response.status,
            (time.perf_counter() - started) * 1000,
        )

    def _read_and_handle(self) -> Response:
        try:
            body = self._read_body()
        except _BodyTooLarge:
            self.close_connection = True
            return json_response(413, {"detail": "Request body is too large."})
        except ValueError as exc:
            # The framing is unknown, so the rest of the stream is unusable.
            self.close_connection = True
            return json_response(400, {"detail": f"Malformed request body: {exc}"})

        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, self.path, headers, body)
        try:
            return self.server.app.handle(request)
        except Exception:
            logger.exception("sandbox failed on %s %s", self.command, self.path)
            return json_response(500, {"detail": "Internal sandbox error."})

    def _read_body(self) -> bytes:
        """Read the whole body, so the next request on the connection starts clean."""
        encoding = self.headers.get("Transfer-Encoding", "").lower()
        if encoding == "chunked":
            return self._read_chunked()
        if encoding:
            raise ValueError(f"unsupported Transfer-Encoding {encoding!r}")

        length_header = self.headers.get("Content-Length")
        if length_header is None:
            return b""

        length = int(length_header)
        if length < 0:
            raise ValueError(f"negative Content-Length {length}")
        if length > MAX_BODY_BYTES:
            raise _BodyTooLarge
        return self.rfile.read(length)

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        total = 0
        while True:
            size_line = self.rfile.readline(1024)
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                self._skip_trailers()
                return b"".join(parts)

            total += size
            if total > MAX_BODY_BYTES:
                raise _BodyTooLarge
            parts.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _skip_trailers(self) -> None:
        while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
            pass

    def _send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()

            if self.command != "HEAD":
                self.wfile.write(response.body)
        except OSError as exc:
            logger.debug("client went away before the response: %s", exc)
            self.close_connection = True

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the base class's line; _dispatch logs each request itself."""

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)


class SandboxServer(ThreadingHTTPServer):
    """A threading HTTP server that can close its idle keep-alive connections.

    ``server_close`` joins every connection thread, and a thread blocked on
    an idle keep-alive connection would keep it waiting, so ``close`` shuts
    those sockets down first.
    """

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: SandboxApp) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.app = app
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._request_count = 0
        self._connection_count = 0

    @property
    def request_count(self) -> int:
        with self._lock:
            return self._request_count

    @property
    def connection_count(self) -> int:
        with self._lock:
            return self._connection_count

    def count_request(self) -> None:
        with self._lock:
            self._request_count += 1

    def track(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)
            self._connection_count += 1

    def untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The base class prints a traceback to stderr. Clients that hang up
        # early are normal for a test server, so this logs at debug level.
        logger.debug("connection from %s failed", client_address, exc_info=True)

    def close(self) -> None:
        """Stop serving, end open connections and wait for their threads."""
        self.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            # The peer may have closed the socket already.
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.server_close()
