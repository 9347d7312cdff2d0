"""WebhookReceiver: a loopback server that never crashes on bad deliveries."""

from __future__ import annotations

import itertools
import json
import logging
import queue
import select
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from shippo_client.webhooks import (
    AnyWebhookEvent,
    Deduplicator,
    HmacSigner,
    HmacVerifier,
    TrackUpdatedEvent,
    WebhookEvent,
    WebhookReceiver,
    _receiver,
)

SECRET = "receiver-secret-42"
TOKEN = "tok/en+42"
NOW = 1_780_000_000.0


def _track_body(object_id: str | None = "st-1") -> bytes:
    status = {
        "object_created": "2026-05-01T10:00:00Z",
        "object_id": object_id,
        "status": "TRANSIT",
        "status_details": "In transit",
        "status_date": "2026-05-02T08:00:00Z",
    }
    data = {
        "carrier": "shippo",
        "tracking_number": "SHIPPO_TRANSIT",
        "tracking_status": status,
        "tracking_history": [status],
    }
    return json.dumps({"event": "track_updated", "test": True, "data": data}).encode()


@pytest.fixture
def events() -> queue.Queue[AnyWebhookEvent]:
    return queue.Queue()


@pytest.fixture
def receiver(events: queue.Queue[AnyWebhookEvent]) -> Iterator[WebhookReceiver]:
    with WebhookReceiver(on_event=events.put, read_timeout_s=0.5) as running:
        yield running


@pytest.fixture
def secured(events: queue.Queue[AnyWebhookEvent]) -> Iterator[WebhookReceiver]:
    verifier = HmacVerifier(SECRET, clock=lambda: NOW)
    with WebhookReceiver(
        token=TOKEN, verifier=verifier, on_event=events.put, read_timeout_s=0.5
    ) as running:
        yield running


def _raw(receiver: WebhookReceiver, data: bytes, *, half_close: bool = True) -> bytes:
    """Send raw bytes and return the whole response (the server closes after it)."""
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=5) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def _request(body: bytes, length: int | str | None = None, path: str = "/") -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    head += "Content-Type: application/json\r\n"
    if length is not None:
        head += f"Content-Length: {length}\r\n"
    return head.encode() + b"\r\n" + body


def _chunked(body: bytes, *, with_length: bool) -> bytes:
    head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
    if with_length:
        head += f"Content-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def _repeated_length(body: bytes) -> bytes:
    head = f"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
    head += f"Content-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def _alive(receiver: WebhookReceiver) -> bool:
    return httpx.post(receiver.url, content=_track_body("alive")).status_code == 200


def test_valid_delivery_accepted(
    receiver: WebhookReceiver, events: queue.Queue[AnyWebhookEvent]
) -> None:
    response = httpx.post(receiver.url, content=_track_body())
    event = events.get(timeout=5)

    assert response.status_code == 200
    assert isinstance(event, TrackUpdatedEvent)
    assert event.data.tracking_number == "SHIPPO_TRANSIT"
    assert receiver.accepted == 1


def test_other_event_accepted(
    receiver: WebhookReceiver, events: queue.Queue[AnyWebhookEvent]
) -> None:
    body = b'{"event": "batch_created", "test": true, "data": "batch b1 created"}'
    response = httpx.post(receiver.url, content=body)
    event = events.get(timeout=5)

    assert response.status_code == 200
    assert isinstance(event, WebhookEvent)
    assert event.data == "batch b1 created"


def test_keep_alive_connection_serves_several(
    receiver: WebhookReceiver, events: queue.Queue[AnyWebhookEvent]
) -> None:
    with httpx.Client() as client:
        statuses = [
            client.post(receiver.url, content=_track_body(f"st-{i}")).status_code
            for i in range(3)
        ]

    assert statuses == [200, 200, 200]
    assert events.qsize() == 3


MALFORMED = [
    ("not JSON", _request(b"hello", 5), 400),
    ("array", _request(b"[1, 2]", 6), 400),
    ("missing data", _request(b'{"event": "track_updated"}', 26), 400),
    ("wrong types", _request(b'{"event": 1, "data": {}}', 24), 400),
    ("invalid Track", _request(b'{"event": "track_updated", "data": {}}', 38), 400),
    ("no Content-Length", _request(b'{"event": "x", "data": 1}'), 400),
    ("huge Content-Length", _request(b"{}", 50 * 1024 * 1024), 413),
    ("truncated body", _request(b'{"event": "x",', 100), 400),
    ("negative Content-Length", _request(b"{}", -2), 400),
    ("null object_id", _request(_track_body(None), len(_track_body(None))), 400),
    ("5000-digit Content-Length", _request(b"{}", "1" * 5000), 400),
    ("20-digit Content-Length", _request(b"{}", 10**19), 400),
    ("Content-Length and chunked", _chunked(_track_body(), with_length=True), 400),
    ("chunked without length", _chunked(_track_body(), with_length=False), 400),
    ("repeated Content-Length", _repeated_length(b'{"event": "x", "data": 1}'), 400),
]


@pytest.mark.parametrize(
    ("data", "status"),
    [(case[1], case[2]) for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_malformed_delivery_rejected(
    receiver: WebhookReceiver,
    events: queue.Queue[AnyWebhookEvent],
    data: bytes,
    status: int,
) -> None:
    response = _raw(receiver, data)

    assert _status(response) == status
    assert events.empty()
    assert receiver.rejected == 1
    assert _alive(receiver)


def test_non_numeric_content_length_rejected(receiver: WebhookReceiver) -> None:
    data = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n0123456789"

    assert _status(_raw(receiver, data)) == 400
    assert _alive(receiver)


def test_body_over_limit_rejected_by_httpx(
    events: queue.Queue[AnyWebhookEvent],
) -> None:
    with WebhookReceiver(on_event=events.put, max_body_bytes=1000) as small:
        body = json.dumps({"event": "batch_created", "data": "x" * 2000}).encode()
        response = httpx.post(small.url, content=body)

        assert response.status_code == 413
        assert events.empty()
        assert httpx.post(small.url, content=_track_body()).status_code == 200


def test_stalled_body_times_out(
    receiver: WebhookReceiver, events: queue.Queue[AnyWebhookEvent]
) -> None:
    # The client keeps the connection open but sends only half the body.
    response = _raw(receiver, _request(b'{"event":', 40), half_close=False)

    assert _status(response) == 408
    assert events.empty()
    assert _alive(receiver)


def test_slow_request_head_cut_off(events: queue.Queue[AnyWebhookEvent]) -> None:
    # Every read of the deadline clock moves it 1 s on, so the 3 s deadline
    # passes after a few reads however fast each byte arrives.
    ticks = itertools.count()
    receiver = WebhookReceiver(on_event=events.put, read_timeout_s=3)
    receiver._monotonic = lambda: float(next(ticks))
    head = b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200

    with receiver, socket.create_connection(("127.0.0.1", receiver.port)) as sock:
        closed_after = None
        for sent in range(len(head)):
            if not _send_and_check_open(sock, head[sent : sent + 1]):
                closed_after = sent + 1
                break

        assert closed_after is not None
        assert closed_after < len(head)
        assert receiver.rejected == 1
        receiver._monotonic = time.monotonic
        assert _alive(receiver)


def _send_and_check_open(sock: socket.socket, data: bytes) -> bool:
    """Send ``data``, wait briefly, and return False once the server has closed."""
    try:
        sock.sendall(data)
        # select() paces the bytes and notices the server closing.
        readable, _, _ = select.select([sock], [], [], 0.02)
        return not (readable and sock.recv(1024) == b"")
    except (BrokenPipeError, ConnectionResetError):
        # A close with unread bytes in the server's buffer resets the socket.
        return False


def test_garbage_request_line_survived(receiver: WebhookReceiver) -> None:
    # http.server reads a request line without a version as HTTP/0.9, so
    # its error page comes without a status line.
    response = _raw(receiver, b"\x00\xff not http at all\r\n\r\n")

    assert b"400" in response
    assert _alive(receiver)


def test_connection_dropped_mid_body_survived(
    receiver: WebhookReceiver, events: queue.Queue[AnyWebhookEvent]
) -> None:
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=5) as sock:
        sock.sendall(_request(b'{"event": "track', 500))

    assert _alive(receiver)
    assert events.get(timeout=5).dedup_key.startswith("track_updated:")
    assert events.empty()


def test_get_not_allowed(receiver: WebhookReceiver) -> None:
    response = httpx.get(receiver.url)

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


def test_duplicates_acknowledged_not_passed_on(
    events: queue.Queue[AnyWebhookEvent],
) -> None:
    with WebhookReceiver(on_event=events.put, deduplicator=Deduplicator()) as running:
        statuses = [httpx.post(running.url, content=_track_body()).status_code]
        statuses.append(httpx.post(running.url, content=_track_body()).status_code)

        assert statuses == [200, 200]
        assert events.qsize() == 1
        assert running.duplicates == 1


def test_failing_on_event_answers_500() -> None:
    def explode(event: Any) -> None:
        raise RuntimeError("database down")

    with WebhookReceiver(on_event=explode) as running:
        response = httpx.post(running.url, content=_track_body())

        assert response.status_code == 500
        assert httpx.post(running.url, content=b"not json").status_code == 400


def test_url_contains_token(secured: WebhookReceiver) -> None:
    assert secured.url == f"http://127.0.0.1:{secured.port}/?token=tok%2Fen%2B42"
    assert TOKEN not in repr(secured)


def test_signed_delivery_with_token_accepted(
    secured: WebhookReceiver, events: queue.Queue[AnyWebhookEvent]
) -> None:
    body = _track_body()
    headers = HmacSigner(SECRET, clock=lambda: NOW).headers(body)
    response = httpx.post(secured.url, content=body, headers=headers)

    assert response.status_code == 200
    assert isinstance(events.get(timeout=5), TrackUpdatedEvent)


def _forgeries() -> list[tuple[str, str, dict[str, str], bytes]]:
    body = _track_body()
    signed = HmacSigner(SECRET, clock=lambda: NOW).headers(body)
    stale = HmacSigner(SECRET, clock=lambda: NOW - 3600).headers(body)
    forged = HmacSigner("guessed-secret", clock=lambda: NOW).headers(body)
    altered = body.replace(b"TRANSIT", b"DELIVERED")
    return [
        ("no token", "/", signed, body),
        ("wrong token", "/?token=guess", signed, body),
        ("no signature", "/?token=tok%2Fen%2B42", {}, body),
        ("wrong secret", "/?token=tok%2Fen%2B42", forged, body),
        ("altered body", "/?token=tok%2Fen%2B42", signed, altered),
        ("replayed late", "/?token=tok%2Fen%2B42", stale, body),
    ]


@pytest.mark.parametrize(
    ("path", "headers", "body"),
    [case[1:] for case in _forgeries()],
    ids=[case[0] for case in _forgeries()],
)
def test_forged_delivery_rejected(
    secured: WebhookReceiver,
    events: queue.Queue[AnyWebhookEvent],
    caplog: pytest.LogCaptureFixture,
    path: str,
    headers: dict[str, str],
    body: bytes,
) -> None:
    caplog.set_level(logging.WARNING, logger="shippo_client.webhooks")
    url = f"http://127.0.0.1:{secured.port}{path}"
    response = httpx.post(url, content=body, headers=headers)

    assert response.status_code == 401
    assert events.empty()
    assert secured.rejected == 1
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "rejected with 401" in warnings[0].getMessage()
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert TOKEN not in record.getMessage()


def test_token_not_in_debug_logs(
    secured: WebhookReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="shippo_client.webhooks")
    body = _track_body()
    headers = HmacSigner(SECRET, clock=lambda: NOW).headers(body)
    httpx.post(secured.url, content=body, headers=headers)

    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "POST" in messages
    assert "tok%2Fen%2B42" not in messages
    assert TOKEN not in messages


def test_close_twice_and_restart_rejected() -> None:
    running = WebhookReceiver()
    running.start()
    with pytest.raises(RuntimeError):
        running.start()
    running.close()
    running.close()

    with pytest.raises(RuntimeError):
        _ = running.url


def test_rejection_warnings_rate_limited(
    receiver: WebhookReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="shippo_client.webhooks")
    now = [0.0]
    receiver._warnings = _receiver._WarningLimiter(lambda: now[0])
    for _ in range(25):
        httpx.post(receiver.url, content=b"not json")
    logged_in_window = len(caplog.records)

    now[0] = 61.0
    httpx.post(receiver.url, content=b"not json")
    messages = [record.getMessage() for record in caplog.records]

    assert logged_in_window == 20
    assert receiver.rejected == 26
    assert "5 more rejected deliveries not logged" in messages[20]
    assert "rejected with 400" in messages[21]
    assert len(messages) == 22
