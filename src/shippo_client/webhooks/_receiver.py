"""A loopback HTTP server that receives webhook deliveries on a thread."""

from __future__ import annotations

import http.server
import io
import logging
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, urlsplit

from ._endpoint import DeliveryResult, WebhookEndpoint
from ._errors import MalformedWebhookError
from ._events import MAX_BODY_BYTES, AnyWebhookEvent
from ._ordering import Deduplicator
from ._signing import Verifier

__all__ = ["WebhookReceiver"]

logger = logging.getLogger("shippo_client.webhooks")

# A flood of bad requests must not flood the log: at most this many rejection
# warnings per window, then one summary line with the number left out.
_WARNINGS_PER_WINDOW = 20
_WARNING_WINDOW_S = 60.0


class WebhookReceiver:
    """Receive webhook deliveries on a local HTTP server, on a background thread.

    Use it as a context manager; ``url`` is the address to register with
    Shippo or pass to ``Sandbox(webhook_url=...)``::

        with WebhookReceiver(port=0, on_event=print) as receiver:
            print(receiver.url)

    Every POST, to any path, is checked (``token``, then ``verifier``) and
    parsed, then the server responds with:

    - 200 and calls ``on_event(event)``, unless ``deduplicator`` has seen the
      event, in which case the event is acknowledged but not passed on;
    - 400 for a malformed delivery (not JSON, wrong types, missing data, a
      missing, repeated or invalid Content-Length, a Transfer-Encoding header,
      a body shorter than it declares);
    - 401 when the token or the signature check fails;
    - 405 for methods other than POST, 413 for a body over ``max_body_bytes``;
    - 408 when the body does not arrive within ``read_timeout_s`` of the
      request's start. A request head still incomplete by then gets no
      response, but its connection is closed;
    - 500 when ``on_event`` raises, so that Shippo delivers it again.

    Rejections are logged at WARNING on the ``shippo_client.webhooks`` logger
    with the reason and the peer address, never the token or the secret. At
    most 20 are logged a minute, then one summary line gives the number left out.
    ``on_event`` runs on the request's thread, so it should return quickly
    (hand slow work to a queue), and it may run on several threads at once.

    A command-line listener needs only this API: build the receiver with
    ``port``, ``token`` and ``verifier`` from its options, print ``url``, pass
    an ``on_event`` that prints each event (``event.data.to_dict()`` for
    JSON output), then wait until interrupted and leave the ``with`` block.
    ``accepted``, ``duplicates`` and ``rejected`` count the deliveries.

    Args:
        port: The TCP port; 0 picks a free one, see ``port`` after start.
        host: The address to bind. Bind a public address only behind TLS.
        token: When set, deliveries must carry ``?token=<token>``, and ``url``
            includes it.
        verifier: When set, checks each body and its headers (HmacVerifier).
        on_event: Called with each accepted TrackUpdatedEvent or WebhookEvent.
        deduplicator: When set, repeated events are not passed to on_event.
        max_body_bytes: Larger bodies are rejected with 413 before reading.
        read_timeout_s: Seconds allowed to read one request, its head and
            body together, and to wait for the next request on a kept-alive
            connection. A client that sends too slowly is cut off when they
            pass, however steadily its bytes arrive.
    """

    def __init__(
        self,
        port: int = 0,
        host: str = "127.0.0.1",
        token: str | None = None,
        verifier: Verifier | None = None,
        on_event: Callable[[AnyWebhookEvent], object] | None = None,
        *,
        deduplicator: Deduplicator | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        read_timeout_s: float = 5.0,
    ) -> None:
        self.endpoint = WebhookEndpoint(
            token=token, verifier=verifier, max_body_bytes=max_body_bytes
        )
        self.on_event = on_event
        self.deduplicator = deduplicator
        self.read_timeout_s = read_timeout_s
        self._token = token
        self._requested = (host, port)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._counts_lock = threading.Lock()
        self._warnings = _WarningLimiter(time.monotonic)
        # The clock of the per-request read deadline; tests replace it.
        self._monotonic: Callable[[], float] = time.monotonic
        self.accepted = 0
        self.duplicates = 0
        self.rejected = 0

    def __repr__(self) -> str:
        host, port = self._requested
        if self._server is None:
            return f"WebhookReceiver(host={host!r}, port={port}, stopped)"
        return f"WebhookReceiver(host={host!r}, port={self.port}, running)"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def port(self) -> int:
        """The bound port. Raises RuntimeError before ``start``."""
        return int(self._running().server_address[1])

    @property
    def url(self) -> str:
        """The delivery URL, including ``?token=...`` when a token is set."""
        host = str(self._running().server_address[0])
        url = f"http://{host}:{self.port}/"
        if self._token is not None:
            url += f"?{self.endpoint.token_param}={quote(self._token, safe='')}"
        return url

    def start(self) -> None:
        """Bind the port and serve on a daemon thread."""
        if self._server is not None:
            raise RuntimeError("WebhookReceiver is already running")

        self._server = _Server(self._requested, _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="shippo-webhook-receiver",
            daemon=True,
        )
        self._thread.start()
        logger.info(
            "webhook receiver listening on %s:%d", self._requested[0], self.port
        )

    def close(self) -> None:
        """Stop serving and release the port. Calling it twice is harmless."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is None:
            return

        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join()
        logger.info(
            "webhook receiver stopped: %d accepted, %d duplicates, %d rejected",
            self.accepted,
            self.duplicates,
            self.rejected,
        )

    def _running(self) -> _Server:
        if self._server is None:
            raise RuntimeError("WebhookReceiver is not running; call start()")
        return self._server

    def _deliver(
        self, body: bytes, headers: dict[str, str], query: str
    ) -> DeliveryResult:
        result = self.endpoint.respond(body, headers, query)
        if result.event is None:
            return result

        if self.deduplicator is not None and self.deduplicator.is_duplicate(
            result.event
        ):
            self._count("duplicates")
            logger.debug("duplicate delivery ignored: %s", result.event.dedup_key)
            return DeliveryResult(200, "duplicate", event=result.event)

        if self.on_event is not None:
            try:
                self.on_event(result.event)
            except Exception:
                # 500 makes Shippo deliver the event again later.
                logger.exception("webhook receiver: on_event raised")
                return DeliveryResult(500, "on_event failed")
        self._count("accepted")
        return result

    def _count(self, name: str) -> int:
        with self._counts_lock:
            value: int = getattr(self, name) + 1
            setattr(self, name, value)
            return value


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[http.server.BaseHTTPRequestHandler],
        receiver: WebhookReceiver,
    ) -> None:
        self.receiver = receiver
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The default prints a traceback to stderr; one bad connection must
        # neither stop the server nor escape the logging setup.
        logger.exception(
            "webhook receiver: error on connection from %s", client_address
        )


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "shippo-webhook-receiver"

    def setup(self) -> None:
        super().setup()
        receiver = self.server.receiver
        self.connection.settimeout(receiver.read_timeout_s)
        # A timeout per recv() lets a client that sends one byte at a time
        # hold the connection forever, so reads share one deadline per request.
        self._reader = _DeadlineReader(
            self.connection, receiver.read_timeout_s, receiver._monotonic
        )
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        self._reader.start()
        super().handle_one_request()
        if self._reader.timed_out and self._reader.bytes_read:
            # The base class closes the connection without a response.
            timeout = self.server.receiver.read_timeout_s
            self._log_rejection(408, f"request head not received within {timeout} s")

    def send_response_only(self, code: int, message: str | None = None) -> None:
        # Reads leave the socket timeout at what remained of the deadline, so
        # the response gets a full timeout of its own.
        self.connection.settimeout(self.server.receiver.read_timeout_s)
        super().send_response_only(code, message)

    def do_POST(self) -> None:
        receiver = self.server.receiver
        try:
            self._handle_post(receiver)
        except Exception:
            logger.exception(
                "webhook receiver: failed on delivery from %s", self._peer()
            )
            self._send(500, "internal error")

    def do_GET(self) -> None:
        self._method_not_allowed()

    def do_PUT(self) -> None:
        self._method_not_allowed()

    def do_DELETE(self) -> None:
        self._method_not_allowed()

    def do_PATCH(self) -> None:
        self._method_not_allowed()

    def log_message(self, format: str, *args: Any) -> None:
        # Access lines go to DEBUG: the request line contains the token.
        logger.debug("webhook receiver: %s", self._redacted(format % args))

    def _handle_post(self, receiver: WebhookReceiver) -> None:
        query = urlsplit(self.path).query
        try:
            self._check_framing()
            length = receiver.endpoint.check_content_length(
                self.headers.get("Content-Length")
            )
        except MalformedWebhookError as exc:
            self._reject(DeliveryResult.rejected(exc))
            return

        body = self._read_body(length)
        if body is None:
            return

        headers = {key: value for key, value in self.headers.items()}
        result = receiver._deliver(body, headers, query)
        if result.error is not None:
            self._reject(result)
            return
        self._send(result.status, result.message)

    def _check_framing(self) -> None:
        # RFC 9112 section 6.3: a proxy in front of this server may frame a
        # request with both Transfer-Encoding and Content-Length, or with
        # several lengths, differently (request smuggling), so reject it.
        # NOTE: chunked bodies are not decoded. Shippo is not known to send one.
        lengths = self.headers.get_all("Content-Length") or []
        if self.headers.get("Transfer-Encoding") is not None:
            reason = (
                "both Transfer-Encoding and Content-Length: ambiguous framing"
                if lengths
                else "Transfer-Encoding is not supported; send Content-Length"
            )
            raise MalformedWebhookError(f"invalid request: {reason}")
        if len(lengths) > 1:
            raise MalformedWebhookError(
                f"invalid request: {len(lengths)} Content-Length headers"
            )

    def _read_body(self, length: int) -> bytes | None:
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self._log_rejection(408, "body did not arrive in time")
            self._send(408, "timed out reading the body")
            return None

        if len(body) != length:
            reason = f"truncated body: {len(body)} of {length} bytes"
            self._reject(DeliveryResult.rejected(MalformedWebhookError(reason)))
            return None
        return body

    def _reject(self, result: DeliveryResult) -> None:
        self._log_rejection(result.status, str(result.error or result.message))
        self._send(result.status, result.message)

    def _log_rejection(self, status: int, reason: str) -> None:
        count = self.server.receiver._count("rejected")
        if not self.server.receiver._warnings.allow():
            return
        logger.warning(
            "webhook delivery rejected with %d from %s: %s (%d rejected so far)",
            status,
            self._peer(),
            reason,
            count,
        )

    def _method_not_allowed(self) -> None:
        self._log_rejection(405, f"method {self.command} not allowed")
        self._send(405, "only POST is accepted", extra={"Allow": "POST"})

    def _send(
        self, status: int, message: str, extra: dict[str, str] | None = None
    ) -> None:
        payload = (message + "\n").encode("utf-8", "replace")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            if status != 200:
                # The rest of a rejected request may still be in the socket.
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(payload)
        except OSError as exc:
            logger.debug(
                "webhook receiver: could not send the response to %s: %s",
                self._peer(),
                exc,
            )
            self.close_connection = True

    def _peer(self) -> str:
        host, port = self.client_address[:2]
        return f"{host}:{port}"

    def _redacted(self, text: str) -> str:
        token = self.server.receiver._token
        if not token:
            return text
        return text.replace(quote(token, safe=""), "***").replace(token, "***")


class _DeadlineReader(io.RawIOBase):
    """Socket reads that together must finish before one deadline.

    ``start`` sets the deadline for the next request. Each read waits at most
    until then and raises TimeoutError once it has passed, however steadily
    bytes arrive.
    """

    def __init__(
        self, sock: socket.socket, timeout_s: float, monotonic: Callable[[], float]
    ) -> None:
        super().__init__()
        self._sock = sock
        self._timeout_s = timeout_s
        self._monotonic = monotonic
        self._deadline = monotonic() + timeout_s
        self.bytes_read = 0
        self.timed_out = False

    def start(self) -> None:
        self._deadline = self._monotonic() + self._timeout_s
        self.bytes_read = 0
        self.timed_out = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        remaining = self._deadline - self._monotonic()
        if remaining <= 0:
            self.timed_out = True
            raise TimeoutError(f"request not read within {self._timeout_s} s")

        self._sock.settimeout(remaining)
        try:
            count = self._sock.recv_into(buffer)
        except TimeoutError:
            self.timed_out = True
            raise
        self.bytes_read += count
        return count


class _WarningLimiter:
    """Allow a fixed number of warnings per window and report the rest."""

    def __init__(self, monotonic: Callable[[], float]) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._window_start = monotonic()
        self._logged = 0
        self._suppressed = 0

    def allow(self) -> bool:
        with self._lock:
            now = self._monotonic()
            if now - self._window_start >= _WARNING_WINDOW_S:
                self._start_window(now)
            if self._logged < _WARNINGS_PER_WINDOW:
                self._logged += 1
                return True
            self._suppressed += 1
            return False

    def _start_window(self, now: float) -> None:
        if self._suppressed:
            logger.warning(
                "webhook receiver: %d more rejected deliveries not logged in the "
                "last %.0f s",
                self._suppressed,
                now - self._window_start,
            )
        self._window_start = now
        self._logged = 0
        self._suppressed = 0
