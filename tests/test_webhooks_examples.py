"""The ASGI and WSGI examples: real requests in, the right status out."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import httpx
import pytest

from shippo_client.webhooks import (
    AnyWebhookEvent,
    HmacSigner,
    HmacVerifier,
    TrackUpdatedEvent,
    WebhookEndpoint,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SECRET = "example-secret"
NOW = 1_780_000_000.0


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _endpoint() -> WebhookEndpoint:
    verifier = HmacVerifier(SECRET, clock=lambda: NOW)
    return WebhookEndpoint(token="t0ken", verifier=verifier, max_body_bytes=4096)


def _body() -> bytes:
    status = {
        "object_created": "2026-05-01T10:00:00Z",
        "object_id": "st-1",
        "status": "DELIVERED",
        "status_details": "Delivered",
        "status_date": "2026-05-02T08:00:00Z",
    }
    data = {
        "carrier": "shippo",
        "tracking_number": "SHIPPO_DELIVERED",
        "tracking_status": status,
        "tracking_history": [status],
    }
    return json.dumps({"event": "track_updated", "test": True, "data": data}).encode()


def _signed(body: bytes) -> dict[str, str]:
    return HmacSigner(SECRET, clock=lambda: NOW).headers(body)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def wsgi_url() -> Iterator[tuple[str, list[AnyWebhookEvent]]]:
    events: list[AnyWebhookEvent] = []
    app = _load("webhooks_wsgi").make_app(_endpoint(), events.append)
    server = make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", events
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_wsgi_signed_delivery_accepted(
    wsgi_url: tuple[str, list[AnyWebhookEvent]],
) -> None:
    url, events = wsgi_url
    body = _body()
    response = httpx.post(f"{url}?token=t0ken", content=body, headers=_signed(body))

    assert response.status_code == 200
    assert len(events) == 1
    assert isinstance(events[0], TrackUpdatedEvent)
    assert events[0].data.tracking_number == "SHIPPO_DELIVERED"


@pytest.mark.parametrize(
    ("query", "body", "sign", "status"),
    [
        ("?token=t0ken", b"not json", True, 400),
        ("?token=t0ken", b'{"event": "track_updated"}', True, 400),
        ("?token=t0ken", b"x" * 5000, True, 413),
        ("?token=wrong", _body(), True, 401),
        ("?token=t0ken", _body(), False, 401),
    ],
    ids=["not JSON", "missing data", "too large", "wrong token", "unsigned"],
)
def test_wsgi_bad_delivery_rejected(
    wsgi_url: tuple[str, list[AnyWebhookEvent]],
    query: str,
    body: bytes,
    sign: bool,
    status: int,
) -> None:
    url, events = wsgi_url
    headers = _signed(body) if sign else {}
    response = httpx.post(url + query, content=body, headers=headers)

    assert response.status_code == status
    assert events == []


def test_wsgi_get_not_allowed(wsgi_url: tuple[str, list[AnyWebhookEvent]]) -> None:
    url, _ = wsgi_url

    assert httpx.get(url).status_code == 405


def _asgi_call(
    body_chunks: list[bytes],
    *,
    query: bytes = b"token=t0ken",
    headers: dict[str, str] | None = None,
    method: str = "POST",
) -> tuple[int | None, bytes, list[AnyWebhookEvent]]:
    events: list[AnyWebhookEvent] = []
    app = _load("webhooks_asgi").make_app(_endpoint(), events.append)
    scope = {
        "type": "http",
        "method": method,
        "path": "/hook",
        "query_string": query,
        "headers": [
            (k.lower().encode(), v.encode()) for k, v in (headers or {}).items()
        ],
    }
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": i < len(body_chunks) - 1}
        for i, chunk in enumerate(body_chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    starts = [m for m in sent if m["type"] == "http.response.start"]
    status = starts[0]["status"] if starts else None
    body = b"".join(
        m.get("body", b"") for m in sent if m["type"] == "http.response.body"
    )
    return status, body, events


def test_asgi_signed_delivery_in_chunks_accepted() -> None:
    body = _body()
    chunks = [body[:10], body[10:50], body[50:]]
    status, _, events = _asgi_call(chunks, headers=_signed(body))

    assert status == 200
    assert len(events) == 1
    assert isinstance(events[0], TrackUpdatedEvent)


@pytest.mark.parametrize(
    ("chunks", "query", "sign", "status"),
    [
        ([b"{", b"nope"], b"token=t0ken", True, 400),
        ([b"[]"], b"token=t0ken", True, 400),
        ([b"x" * 3000, b"x" * 3000], b"token=t0ken", True, 413),
        ([_body()], b"", True, 401),
        ([_body()], b"token=t0ken", False, 401),
    ],
    ids=["not JSON", "array", "too large in chunks", "no token", "unsigned"],
)
def test_asgi_bad_delivery_rejected(
    chunks: list[bytes], query: bytes, sign: bool, status: int
) -> None:
    headers = _signed(b"".join(chunks)) if sign else {}
    answered, message, events = _asgi_call(chunks, query=query, headers=headers)

    assert answered == status
    assert message
    assert events == []


def test_asgi_declared_length_over_limit_rejected_before_reading() -> None:
    status, _, events = _asgi_call([], headers={"Content-Length": "999999"})

    assert status == 413
    assert events == []


def test_asgi_disconnect_mid_body_sends_nothing() -> None:
    status, _, events = _asgi_call([])

    assert status is None
    assert events == []


def test_asgi_get_not_allowed() -> None:
    status, _, _ = _asgi_call([b""], method="GET")

    assert status == 405
