"""Receive Shippo tracking webhooks in a plain ASGI app (no framework).

Serve ``app`` with any ASGI server, for example:

    SHIPPO_WEBHOOK_TOKEN=... SHIPPO_WEBHOOK_SECRET=... \\
        uvicorn examples.webhooks_asgi:app --host 127.0.0.1 --port 8000

Unset variables turn the matching check off.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from shippo_client.webhooks import (
    AnyWebhookEvent,
    DeliveryResult,
    HmacVerifier,
    MalformedWebhookError,
    PayloadTooLargeError,
    TrackUpdatedEvent,
    WebhookEndpoint,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Disconnected(Exception):
    """The client went away before the whole body arrived."""


def make_app(
    endpoint: WebhookEndpoint, on_event: Callable[[AnyWebhookEvent], object]
) -> ASGIApp:
    """Build an ASGI app that checks, parses and hands each delivery to on_event."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if scope["method"] != "POST":
            await _answer(send, DeliveryResult(405, "only POST is accepted"))
            return

        try:
            result = await _deliver(endpoint, scope, receive)
        except _Disconnected:
            return
        if result.event is not None:
            on_event(result.event)
        await _answer(send, result)

    return app


async def _deliver(
    endpoint: WebhookEndpoint, scope: Scope, receive: Receive
) -> DeliveryResult:
    headers = {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in scope["headers"]
    }
    try:
        declared = headers.get("content-length")
        if declared is not None:
            endpoint.check_content_length(declared)
        body = await _read_body(receive, endpoint.max_body_bytes)
    except MalformedWebhookError as exc:
        return DeliveryResult.rejected(exc)

    query = scope.get("query_string", b"").decode("latin-1")
    return endpoint.respond(body, headers, query)


async def _read_body(receive: Receive, limit: int) -> bytes:
    # ASGI servers may pass a chunked body without Content-Length, so the
    # limit is also enforced while the chunks arrive.
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"body is over the limit of {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _answer(send: Send, result: DeliveryResult) -> None:
    payload = (result.message + "\n").encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(payload)).encode()),
    ]
    await send(
        {"type": "http.response.start", "status": result.status, "headers": headers}
    )
    await send({"type": "http.response.body", "body": payload})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def print_event(event: AnyWebhookEvent) -> None:
    """Print one line per event; a real app would queue it for processing."""
    if isinstance(event, TrackUpdatedEvent):
        status = event.data.tracking_status
        label = getattr(status, "status", "no status yet")
        print(f"{event.data.carrier} {event.data.tracking_number}: {label}", flush=True)
    else:
        print(f"{event.event}: ignored", flush=True)


def _endpoint_from_environment() -> WebhookEndpoint:
    secret = os.environ.get("SHIPPO_WEBHOOK_SECRET")
    return WebhookEndpoint(
        token=os.environ.get("SHIPPO_WEBHOOK_TOKEN") or None,
        verifier=HmacVerifier(secret) if secret else None,
    )


app = make_app(_endpoint_from_environment(), print_event)
