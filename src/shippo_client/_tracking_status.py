"""The tracking_status namespace: get and create, with their async twins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._generated.api.tracking_status import create_track, get_track
from ._generated.models.track import Track
from ._generated.models.tracks_request import TracksRequest
from ._generated.types import UNSET, Unset
from ._responses import parse_track, status_error
from ._retries import RetryConfig
from ._settings import request_timeout
from ._transport import send_async, send_sync
from .errors import RequestValidationError

if TYPE_CHECKING:
    from ._client import Shippo

__all__ = ["TrackingStatus"]

# Shippo stores at most this many characters of registration metadata.
_METADATA_MAX_CHARS = 100

# Sanity limits of this package, far above any real carrier token (at most
# about 20 characters) or tracking number (about 40), so that a wrong value
# fails before it becomes an over-long URL.
_MAX_CHARS = {"carrier": 100, "tracking_number": 255}


class TrackingStatus:
    """Get a parcel's tracking status, or register it for tracking webhooks."""

    def __init__(self, sdk: Shippo) -> None:
        self._sdk = sdk

    def get(
        self,
        tracking_number: str,
        carrier: str,
        *,
        retries: RetryConfig | None = None,
        timeout_ms: int | None = None,
    ) -> Track:
        """Return the tracking status and history of a parcel.

        Args:
            tracking_number: The carrier's tracking number.
            carrier: The carrier token, for example "usps", or "shippo" with a
                test key.
            retries: Overrides the client's retry settings for this call.
            timeout_ms: Overrides the client's timeout for this call.

        Raises:
            SDKError: Shippo responded with an error status (a subclass per status).
            ResponseValidationError: a success status with an invalid body.
            APIConnectionError: no response arrived (APITimeoutError on timeout).
            RequestValidationError: an argument is invalid; nothing was sent.
        """
        request = self._get_request(
            self._sdk.http, tracking_number, carrier, timeout_ms
        )
        return self._send(request, retries)

    def create(
        self,
        request: TracksRequest | Mapping[str, Any],
        *,
        retries: RetryConfig | None = None,
        timeout_ms: int | None = None,
    ) -> Track:
        """Register a parcel for tracking webhooks and return its Track.

        Args:
            request: A TracksRequest, or a mapping with "carrier",
                "tracking_number" and an optional "metadata" of up to 100
                characters.
            retries: Overrides the client's retry settings for this call. By
                default a registration is retried only when Shippo surely did
                not process it (connection refused, 429); see
                RetryConfig.retry_non_idempotent.
            timeout_ms: Overrides the client's timeout for this call.

        Raises:
            The same errors as get().
        """
        http_request = self._create_request(self._sdk.http, request, timeout_ms)
        return self._send(http_request, retries)

    async def get_async(
        self,
        tracking_number: str,
        carrier: str,
        *,
        retries: RetryConfig | None = None,
        timeout_ms: int | None = None,
    ) -> Track:
        """Async twin of get()."""
        http = self._sdk.async_http
        request = self._get_request(http, tracking_number, carrier, timeout_ms)
        return await self._send_async(request, retries)

    async def create_async(
        self,
        request: TracksRequest | Mapping[str, Any],
        *,
        retries: RetryConfig | None = None,
        timeout_ms: int | None = None,
    ) -> Track:
        """Async twin of create()."""
        http_request = self._create_request(self._sdk.async_http, request, timeout_ms)
        return await self._send_async(http_request, retries)

    def _send(self, request: httpx.Request, retries: RetryConfig | None) -> Track:
        policy = self._sdk.policy(retries)
        response, attempts = send_sync(
            self._sdk.sender, request, policy, self._sdk.sleep
        )
        return _track_or_error(response, attempts.count)

    async def _send_async(
        self, request: httpx.Request, retries: RetryConfig | None
    ) -> Track:
        policy = self._sdk.policy(retries)
        response, attempts = await send_async(
            self._sdk.async_sender, request, policy, self._sdk.async_sleep
        )
        return _track_or_error(response, attempts.count)

    def _get_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        tracking_number: str,
        carrier: str,
        timeout_ms: int | None,
    ) -> httpx.Request:
        _check_text("carrier", carrier)
        _check_text("tracking_number", tracking_number)
        kwargs = get_track._get_kwargs(
            carrier, tracking_number, shippo_api_version=self._version()
        )
        return self._build(http, kwargs, timeout_ms)

    def _create_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        request: TracksRequest | Mapping[str, Any],
        timeout_ms: int | None,
    ) -> httpx.Request:
        body = _tracks_request(request)
        kwargs = create_track._get_kwargs(body=body, shippo_api_version=self._version())
        return self._build(http, kwargs, timeout_ms)

    def _build(
        self,
        http: httpx.Client | httpx.AsyncClient,
        kwargs: dict[str, Any],
        timeout_ms: int | None,
    ) -> httpx.Request:
        # The URL is absolute and the timeout and headers go on each request,
        # so that they also apply when the caller supplied its own httpx client.
        url = self._sdk.server_url + kwargs["url"]
        headers = self._sdk.request_headers(http)
        extra = kwargs.get("headers")
        if extra:
            headers = [*headers, *extra.items()]
        timeout = (
            self._sdk.timeout if timeout_ms is None else request_timeout(timeout_ms)
        )
        extensions = {"timeout": timeout.as_dict()}

        if self._sdk.owns(http):
            # The client's own headers are already in `headers`, so httpx's
            # header merging in build_request, a large part of preparing a
            # small request, is skipped.
            return httpx.Request(
                kwargs["method"],
                url,
                headers=headers,
                json=kwargs.get("json"),
                extensions=extensions,
            )
        return http.build_request(
            kwargs["method"],
            url,
            headers=headers,
            json=kwargs.get("json"),
            extensions=extensions,
        )

    def _version(self) -> str | Unset:
        version = self._sdk.shippo_api_version
        return UNSET if version is None else version


def _track_or_error(response: httpx.Response, attempts: int) -> Track:
    if 200 <= response.status_code < 300:
        return parse_track(response, attempts)
    raise status_error(response, attempts)


def _tracks_request(request: TracksRequest | Mapping[str, Any]) -> TracksRequest:
    """Check a registration request and return it as a TracksRequest."""
    if isinstance(request, TracksRequest):
        body = request
    elif isinstance(request, Mapping):
        unknown = set(request) - {"carrier", "tracking_number", "metadata"}
        if unknown:
            names = ", ".join(sorted(map(str, unknown)))
            raise RequestValidationError(
                f"invalid TracksRequest: unknown field(s) {names}; "
                "expected carrier, tracking_number and metadata"
            )
        missing = {"carrier", "tracking_number"} - set(request)
        if missing:
            names = ", ".join(sorted(missing))
            raise RequestValidationError(f"invalid TracksRequest: missing {names}")
        body = TracksRequest(
            carrier=request["carrier"],
            tracking_number=request["tracking_number"],
            metadata=_or_unset(request.get("metadata")),
        )
    else:
        raise RequestValidationError(
            f"request must be a TracksRequest or a dict, got {type(request).__name__}"
        )

    _check_text("carrier", body.carrier)
    _check_text("tracking_number", body.tracking_number)
    _check_metadata(body.metadata)
    return body


def _or_unset(value: Any) -> Any:
    return UNSET if value is None else value


def _check_text(name: str, value: object) -> None:
    """Reject a carrier or tracking number that cannot be a path segment.

    Percent-encoding keeps "/", "?" and "#" inside the segment, but "." and
    ".." would be resolved as relative paths and reach another endpoint.
    Control characters and lone surrogates are never part of a real value.
    """
    if not isinstance(value, str):
        raise RequestValidationError(
            f"{name} must be a string, got {type(value).__name__}"
        )
    if not value.strip():
        raise RequestValidationError(f"{name} must not be empty")
    if len(value) > _MAX_CHARS[name]:
        raise RequestValidationError(
            f"{name} is {len(value)} characters long; the maximum is {_MAX_CHARS[name]}"
        )
    if value in (".", ".."):
        raise RequestValidationError(f"invalid {name} {value!r}: not a path segment")
    _check_encodable(name, value)
    if any(not ch.isprintable() for ch in value):
        raise RequestValidationError(
            f"invalid {name} {value!r}: it contains control or invisible characters"
        )


def _check_encodable(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RequestValidationError(
            f"invalid {name}: it is not valid Unicode text (a lone surrogate)"
        ) from None


def _check_metadata(metadata: object) -> None:
    if isinstance(metadata, Unset) or metadata is None:
        return
    if not isinstance(metadata, str):
        raise RequestValidationError(
            f"metadata must be a string, got {type(metadata).__name__}"
        )
    _check_encodable("metadata", metadata)
    if len(metadata) > _METADATA_MAX_CHARS:
        raise RequestValidationError(
            f"metadata is {len(metadata)} characters long; Shippo accepts at most "
            f"{_METADATA_MAX_CHARS}"
        )
