"""A loopback HTTP/1.1 server that replays scripted exchanges, faults included.

The server is written on plain sockets, not http.server, so that a test can
make it misbehave the way a real gateway does. It can hold the headers back,
stall in the middle of a body, cut a body short, or reset the connection. It records
every request and counts open connections, so tests can assert how many
requests a call sent, what they carried, and that none was left open.

    with ReplayServer([Exchange(503), Exchange(200, body={...})]) as server:
        client = Shippo("shippo_test_x", server_url=server.url)
"""

from __future__ import annotations

import json
import select
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "CASES_DIR",
    "Exchange",
    "FakeClock",
    "Recorded",
    "ReplayServer",
    "exchanges_from_case",
    "load_case",
]

CASES_DIR = Path(__file__).resolve().parents[2] / "shared" / "cases"

# A fault that keeps the connection open waits at most this long, so that a
# client without a timeout cannot hang a test run forever.
_MAX_FAULT_WAIT_S = 60.0


@dataclass
class Exchange:
    """One scripted response.

    Args:
        status: The status code; any integer from 100 to 999 is sent as is.
        headers: Response headers. Content-Length is added unless given.
        body: A str or bytes is sent as is; any other value as JSON.
        repeat: Serve this exchange this many times, or "always".
        reason: The reason phrase of the status line; a stock one if None.
        fault: Network misbehaviour, any of:
            delay_headers_s: wait this long before the status line.
            stall_body_after_bytes_s: [n, s] (or just s, n = half the body):
                send n body bytes, then wait s before the rest.
            truncate: send half of the announced body, then close.
            reset: read the request, then reset the connection.
            close: close the connection after this answer.
    """

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Any = b""
    repeat: int | str = 1
    fault: Mapping[str, Any] = field(default_factory=dict)
    reason: str | None = None

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass
class FakeClock:
    """A monotonic clock that only the injected sleep moves forward."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@dataclass(frozen=True)
class Recorded:
    """A request as the server read it off the wire."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes


Responder = Callable[[Recorded], Exchange]


class ReplayServer:
    """Serve exchanges in order (or from a responder) on 127.0.0.1.

    When the script runs out, the server returns 599 and counts an overrun,
    so a test sees a client that sent more requests than it should have.
    """

    def __init__(self, script: list[Exchange] | Responder) -> None:
        self._script = script
        self._queue = _expand(script) if isinstance(script, list) else None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.requests: list[Recorded] = []
        self.overruns = 0
        self.open_connections = 0
        self.connections_total = 0
        self._server = _TCPServer(("127.0.0.1", 0), _Handler)
        self._server.replay = self
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _serve(self) -> None:
        # A short poll interval, so that close() returns at once.
        self._server.serve_forever(poll_interval=0.01)

    def close(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until every connection the server accepted is closed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self.open_connections == 0:
                    return True
            time.sleep(0.01)
        return False

    def pause(self, seconds: float, connection: socket.socket) -> None:
        """Hold a fault for `seconds`, unless the server stops or the peer leaves."""
        deadline = time.monotonic() + min(seconds, _MAX_FAULT_WAIT_S)
        while not self._stop.is_set() and time.monotonic() < deadline:
            if _peer_closed(connection):
                return

    def next_exchange(self, request: Recorded) -> Exchange:
        with self._lock:
            self.requests.append(request)
            if self._queue is None:
                responder = self._script
            elif self._queue:
                head = self._queue[0]
                return head if _always(head) else self._queue.pop(0)
            else:
                self.overruns += 1
                return Exchange(599, body="no exchange left in the script")
        assert callable(responder)
        return responder(request)

    def connection_opened(self) -> None:
        with self._lock:
            self.open_connections += 1
            self.connections_total += 1

    def connection_closed(self) -> None:
        with self._lock:
            self.open_connections -= 1


def _peer_closed(connection: socket.socket) -> bool:
    readable, _, _ = select.select([connection], [], [], 0.02)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _always(exchange: Exchange) -> bool:
    return exchange.repeat == "always"


def _expand(script: list[Exchange]) -> list[Exchange]:
    queue: list[Exchange] = []
    for exchange in script:
        if _always(exchange):
            queue.append(exchange)
            break
        queue.extend([exchange] * int(exchange.repeat))
    return queue


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    replay: ReplayServer


class _Handler(socketserver.StreamRequestHandler):
    server: _TCPServer

    def handle(self) -> None:
        replay = self.server.replay
        replay.connection_opened()
        self.connection.settimeout(_MAX_FAULT_WAIT_S)
        try:
            while self._serve_one(replay):
                pass
        except OSError:
            pass
        finally:
            replay.connection_closed()

    def _serve_one(self, replay: ReplayServer) -> bool:
        request = self._read_request()
        if request is None:
            return False

        exchange = replay.next_exchange(request)
        fault = exchange.fault
        if fault.get("reset"):
            self._reset()
            return False
        if "delay_headers_s" in fault:
            replay.pause(float(fault["delay_headers_s"]), self.connection)
        self._write(exchange, replay)
        return not (fault.get("close") or fault.get("truncate"))

    def _read_request(self) -> Recorded | None:
        line = self.rfile.readline(65537)
        if not line.strip():
            return None
        method, target, _ = line.decode("latin-1").split(" ", 2)

        headers: dict[str, str] = {}
        while (raw := self.rfile.readline(65537)) not in (b"\r\n", b"\n", b""):
            name, _, value = raw.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()

        length = int(headers.get("content-length", "0"))
        body = self.rfile.read(length) if length else b""
        return Recorded(method, target, headers, body)

    def _write(self, exchange: Exchange, replay: ReplayServer) -> None:
        payload = exchange.payload()
        head = _head(exchange, len(payload))
        fault = exchange.fault
        if fault.get("truncate"):
            self.wfile.write(head + payload[: len(payload) // 2])
            return
        if "stall_body_after_bytes_s" in fault:
            count, seconds = _stall(fault["stall_body_after_bytes_s"], len(payload))
            self.wfile.write(head + payload[:count])
            self.wfile.flush()
            replay.pause(seconds, self.connection)
            self.wfile.write(payload[count:])
            return
        self.wfile.write(head + payload)

    def _reset(self) -> None:
        # SO_LINGER with a zero timeout makes close() send RST, not FIN.
        linger = (1).to_bytes(4, "little") + (0).to_bytes(4, "little")
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        self.connection.close()


def _head(exchange: Exchange, length: int) -> bytes:
    reason = (
        exchange.reason if exchange.reason is not None else _reason(exchange.status)
    )
    lines = [f"HTTP/1.1 {exchange.status} {reason}"]
    names = {name.lower() for name in exchange.headers}
    lines += [f"{name}: {value}" for name, value in exchange.headers.items()]
    if "content-length" not in names:
        lines.append(f"Content-Length: {length}")
    if exchange.fault.get("close") or exchange.fault.get("truncate"):
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _reason(status: int) -> str:
    reasons = {200: "OK", 201: "Created", 301: "Moved Permanently", 429: "Too Many"}
    return reasons.get(status, "Status")


def _stall(value: Any, length: int) -> tuple[int, float]:
    if isinstance(value, list | tuple):
        return int(value[0]), float(value[1])
    return length // 2, float(value)


def load_case(case_id: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CASES_DIR / f"{case_id}.json").read_text())
    return data


def exchanges_from_case(case: Mapping[str, Any]) -> list[Exchange]:
    """Turn a case file's `exchanges` into Exchange objects."""
    return [
        Exchange(
            status=int(item["status"]),
            headers=dict(item.get("headers", {})),
            body=item.get("body", b""),
            repeat=item.get("repeat", 1),
            fault=dict(item.get("fault", {})),
        )
        for item in case["exchanges"]
    ]


def case_ids() -> Iterator[str]:
    return (path.stem for path in sorted(CASES_DIR.glob("BUG-*.json")))
