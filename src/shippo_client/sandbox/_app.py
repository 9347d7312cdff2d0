"""The sandbox application: routing, auth, rate limit, faults and the handlers.

It maps a Request to a Response without touching sockets, so the server
layer stays a thin adapter.
"""

from __future__ import annotations

import hmac
import logging
import threading
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ._delivery import WebhookDelivery
from ._faults import Fault, FaultInjector, RateLimiter, retry_after_header
from ._fixtures import TEST_CARRIER, TEST_NUMBERS, fixture_events, track_body
from ._http import (
    BodyError,
    Request,
    Response,
    html_response,
    json_response,
    parse_form,
    text_response,
)
from ._settings import SandboxSettings

__all__ = ["SandboxApp"]

logger = logging.getLogger("shippo_client.sandbox")

METADATA_MAX_LENGTH = 100


class SandboxApp:
    """Responds to requests the way Shippo's test mode does.

    Args:
        settings: Rate limit, faults, accepted key and webhook settings.
        stopping: Set when the server stops, so that stalls end early.
        delivery: Posts webhook events for registrations, if configured.
    """

    def __init__(
        self,
        settings: SandboxSettings,
        stopping: threading.Event,
        delivery: WebhookDelivery | None = None,
    ) -> None:
        self._settings = settings
        self._stopping = stopping
        self._delivery = delivery
        self._faults = FaultInjector(settings.fault_rates(), settings.seed)
        self._limiter = _limiter(settings)
        self._lock = threading.Lock()
        self._metadata: dict[str, str | None] = {}

    def handle(self, request: Request) -> Response:
        """Build the response to one request.

        Steps, in order: an injected fault (as a gateway in front of the API
        would add), routing (301, 404, 405), auth (401), the rate limit (429),
        then the handler.
        """
        fault = self._faults.draw()
        if fault is Fault.STALL:
            seconds = self._settings.stall_seconds
            logger.debug("stalling %s for %.1f s", request.target, seconds)
            self._stopping.wait(seconds)
        elif fault is not None:
            return _fault_response(fault)

        route = _route(request)
        if isinstance(route, Response):
            return route

        token = _authenticate(request, self._settings.api_key)
        if isinstance(token, Response):
            return token

        wait = self._limiter.acquire(token) if self._limiter else 0.0
        if wait > 0:
            return _throttled(wait)

        handler, params = route
        return handler(self, request, params)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._settings.clock(), UTC)

    def get_track(self, request: Request, params: tuple[str, str]) -> Response:
        carrier, number = params
        rejection = _check_test_number(carrier, number)
        if rejection is not None:
            return rejection

        with self._lock:
            metadata = self._metadata.get(number)
        now = self._now()
        body = track_body(number, fixture_events(number, now), now, metadata)
        return json_response(200, body)

    def create_track(self, request: Request, params: tuple[str, str]) -> Response:
        try:
            form = parse_form(request)
        except BodyError as exc:
            return exc.response

        field_errors = _validate(form)
        if field_errors:
            return json_response(400, field_errors)

        carrier, number = form["carrier"], form["tracking_number"]
        rejection = _check_test_number(carrier, number)
        if rejection is not None:
            return rejection

        return self._register(number, form.get("metadata"))

    def _register(self, number: str, metadata: str | None) -> Response:
        with self._lock:
            if metadata is not None:
                self._metadata[number] = metadata
            metadata = self._metadata.get(number)

        now = self._now()
        history = fixture_events(number, now)
        if self._delivery is not None:
            self._delivery.register(number, history, metadata)

        # Recorded registrations returned 201 CREATED.
        return json_response(201, track_body(number, history, now, metadata))


Route = tuple[
    Callable[[SandboxApp, Request, tuple[str, str]], Response], tuple[str, str]
]


def _route(request: Request) -> Route | Response:
    """Find the handler of a request, or the 301, 404 or 405 response."""
    path = urllib.parse.urlsplit(request.target).path
    segments = [urllib.parse.unquote(part) for part in path.split("/")]

    if path in ("/tracks", "/tracks/"):
        return _allow(request, "POST", (SandboxApp.create_track, ("", "")))

    if len(segments) == 4 and segments[:2] == ["", "tracks"] and all(segments[2:]):
        params = (segments[2], segments[3])
        return _allow(request, "GET", (SandboxApp.get_track, params))

    if len(segments) == 5 and segments[:2] == ["", "tracks"] and all(segments[2:4]):
        # Shippo redirects a GET with a trailing slash to the URL without it.
        location = path.rstrip("/")
        redirect = html_response(301, "Moved Permanently", {"Location": location})
        return _allow(request, "GET", redirect)

    return json_response(404, {"detail": "Not found."})


def _allow(request: Request, method: str, target: Route | Response) -> Route | Response:
    if request.method == method:
        return target

    detail = f'Method "{request.method}" not allowed.'
    return json_response(405, {"detail": detail}, {"Allow": method})


def _authenticate(request: Request, api_key: str | None) -> str | Response:
    """Return the request's API key, or the 401 response."""
    value = request.headers.get("authorization")
    if not value:
        return _unauthorized("Authentication credentials were not provided.")

    scheme, _, token = value.strip().partition(" ")
    if scheme != "ShippoToken" or not token or any(c.isspace() for c in token):
        return _unauthorized(
            "Invalid token header. Send 'Authorization: ShippoToken <API key>'."
        )

    if api_key is not None and not hmac.compare_digest(
        token.encode(), api_key.encode()
    ):
        return _unauthorized("Invalid API token.")
    return token


def _unauthorized(detail: str) -> Response:
    return json_response(401, {"detail": detail}, {"WWW-Authenticate": "ShippoToken"})


def _check_test_number(carrier: str, number: str) -> Response | None:
    """Return test mode's 400 for anything but carrier shippo and a test number."""
    if carrier != TEST_CARRIER:
        detail = f"{carrier} is not a valid test tracking carrier. Please use 'shippo'"
        return json_response(400, {"detail": detail})

    if number not in TEST_NUMBERS:
        detail = (
            f"{number} is not a valid test tracking number. Please use the "
            "sample tracking numbers provided in the Shippo API docs: "
            "https://goshippo.com/docs/tracking"
        )
        return json_response(400, {"detail": detail})
    return None


def _validate(form: dict[str, Any]) -> dict[str, list[str]]:
    """Check a registration form; return the messages of each invalid field."""
    errors: dict[str, list[str]] = {}
    for name in ("carrier", "tracking_number"):
        message = _required_string_error(form.get(name), name in form)
        if message:
            errors[name] = [message]

    metadata = form.get("metadata")
    if "metadata" in form and metadata is None:
        # The spec types metadata as a string; omit the key to leave it unset.
        errors["metadata"] = ["This field may not be null."]
    elif metadata is not None and not isinstance(metadata, str):
        errors["metadata"] = ["Not a valid string."]
    elif metadata is not None and len(metadata) > METADATA_MAX_LENGTH:
        errors["metadata"] = [
            f"Ensure this field has no more than {METADATA_MAX_LENGTH} characters."
        ]
    return errors


def _required_string_error(value: Any, present: bool) -> str | None:
    if not present:
        return "This field is required."
    if value is None:
        return "This field may not be null."
    if not isinstance(value, str):
        return "Not a valid string."
    if not value.strip():
        return "This field may not be blank."
    return None


def _limiter(settings: SandboxSettings) -> RateLimiter | None:
    if settings.rate_limit_per_minute is None:
        return None
    return RateLimiter(settings.rate_limit_per_minute, settings.clock)


def _throttled(wait: float) -> Response:
    seconds = retry_after_header(wait)
    # Shippo's 429 bodies are not JSON, so neither is this one.
    unit = "second" if seconds == "1" else "seconds"
    text = f"Too many requests: rate limit exceeded. Retry in {seconds} {unit}.\n"
    return text_response(429, text, {"Retry-After": seconds})


def _fault_response(fault: Fault) -> Response:
    if fault is Fault.RATE_LIMITED:
        return _throttled(1.0)
    if fault is Fault.BAD_GATEWAY:
        return html_response(502, "502 Bad Gateway")
    return html_response(503, "503 Service Temporarily Unavailable")
