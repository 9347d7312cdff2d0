"""Receive Shippo tracking webhooks in a plain WSGI app (no framework).

Run it with the standard library's server, on the loopback interface:

    SHIPPO_WEBHOOK_TOKEN=... SHIPPO_WEBHOOK_SECRET=... python examples/webhooks_wsgi.py

Any WSGI server (gunicorn, uWSGI, mod_wsgi) can serve ``app`` instead.
Unset variables turn the matching check off.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import make_server

from shippo_client.webhooks import (
    AnyWebhookEvent,
    DeliveryResult,
    HmacVerifier,
    MalformedWebhookError,
    TrackUpdatedEvent,
    WebhookEndpoint,
)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    405: "Method Not Allowed",
    413: "Content Too Large",
    500: "Internal Server Error",
}


def make_app(
    endpoint: WebhookEndpoint, on_event: Callable[[AnyWebhookEvent], object]
) -> WSGIApp:
    """Build a WSGI app that checks, parses and hands each delivery to on_event."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] != "POST":
            return _answer(start_response, DeliveryResult(405, "only POST is accepted"))

        result = _deliver(endpoint, environ)
        if result.event is not None:
            on_event(result.event)
        return _answer(start_response, result)

    return app


def _deliver(endpoint: WebhookEndpoint, environ: dict[str, Any]) -> DeliveryResult:
    try:
        length = endpoint.check_content_length(environ.get("CONTENT_LENGTH") or None)
    except MalformedWebhookError as exc:
        return DeliveryResult.rejected(exc)

    # Read exactly Content-Length bytes: WSGI servers need not signal the end
    # of the body, so reading more could block.
    body = environ["wsgi.input"].read(length)
    if len(body) != length:
        return DeliveryResult.rejected(
            MalformedWebhookError(f"truncated body: {len(body)} of {length} bytes")
        )

    return endpoint.respond(body, _headers(environ), environ.get("QUERY_STRING", ""))


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").title(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").title()] = str(environ[key])
    return headers


def _answer(start_response: StartResponse, result: DeliveryResult) -> list[bytes]:
    payload = (result.message + "\n").encode()
    status = f"{result.status} {_REASONS.get(result.status, 'Error')}"
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(payload))),
        ],
    )
    return [payload]


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

if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    with make_server("127.0.0.1", port, app) as server:
        print(f"listening on http://127.0.0.1:{port}/", flush=True)
        server.serve_forever()
