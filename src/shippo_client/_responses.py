"""Turn final responses and httpx exceptions into Tracks or typed errors."""

from __future__ import annotations

import json
from typing import Any

import httpx

from . import errors
from ._generated.models.track import Track
from ._retries import retry_after_seconds

__all__ = ["connection_error", "parse_track", "redact", "status_error"]

# str(error) shows at most this much of a body that is not JSON.
_PREVIEW_CHARS = 200

_STATUS_ERRORS: dict[int, type[errors.SDKError]] = {
    400: errors.BadRequestError,
    401: errors.AuthenticationError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    429: errors.RateLimitError,
    503: errors.ServiceUnavailableError,
}


def parse_track(response: httpx.Response, attempts: int) -> Track:
    """Parse a success response into a Track.

    Raises:
        ResponseValidationError: the body is not JSON or not a valid Track.
    """
    try:
        data = json.loads(response.content)
    except ValueError as exc:
        raise _invalid(response, attempts, f"not JSON ({exc})") from None

    return track_from_data(data, response, attempts)


def track_from_data(data: Any, response: httpx.Response, attempts: int) -> Track:
    if not isinstance(data, dict):
        raise _invalid(
            response, attempts, f"expected an object, got {type(data).__name__}"
        )

    try:
        return Track.from_dict(data)
    except KeyError as exc:
        raise _invalid(response, attempts, f"missing field {exc}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise _invalid(response, attempts, f"{type(exc).__name__}: {exc}") from exc


def status_error(response: httpx.Response, attempts: int) -> errors.SDKError:
    """Build the typed error for a response whose status is not success."""
    redact(response)
    text = _text(response)
    data = _json_body(response, text)
    status = response.status_code
    message = _message(data, text, response)
    fields: dict[str, Any] = {"body": text, "data": data, "attempts": attempts}

    if status == 429:
        retry_after = retry_after_seconds(response.headers)
        return errors.RateLimitError(
            message, response, retry_after=retry_after, **fields
        )
    if 300 <= status < 400:
        location = response.headers.get("location")
        where = f" to {location}" if location else ""
        redirect_message = (
            f"unexpected redirect{where}; the client does not follow redirects"
        )
        return errors.UnexpectedRedirectError(redirect_message, response, **fields)

    return _error_class(status)(message, response, **fields)


def connection_error(
    error: httpx.TransportError, method: str, path: str, attempts: int
) -> errors.APIConnectionError:
    """Wrap an httpx transport error in the package's own type."""
    cls = (
        errors.APITimeoutError
        if isinstance(error, httpx.TimeoutException)
        else errors.APIConnectionError
    )
    message = f"{_describe(error)}: {error}" if str(error) else _describe(error)
    return cls(message, method=method, path=path, attempts=attempts)


def redact(response: httpx.Response) -> None:
    """Replace the response's request by a copy without the Authorization header.

    Errors keep the response for callers to inspect, and the key must not
    travel with it into logs and tracebacks.
    """
    request = response.request
    headers = [
        (k, v) for k, v in request.headers.multi_items() if k.lower() != "authorization"
    ]
    response.request = httpx.Request(request.method, request.url, headers=headers)


def _error_class(status: int) -> type[errors.SDKError]:
    if status in _STATUS_ERRORS:
        return _STATUS_ERRORS[status]
    if 400 <= status < 500:
        return errors.ClientError
    if 500 <= status < 600:
        return errors.ServerError
    return errors.UnexpectedStatusError


def _invalid(
    response: httpx.Response, attempts: int, reason: str
) -> errors.ResponseValidationError:
    redact(response)
    return errors.ResponseValidationError(
        reason, response, body=_text(response), attempts=attempts
    )


def _text(response: httpx.Response) -> str:
    return response.content.decode(response.encoding or "utf-8", errors="replace")


def _json_body(response: httpx.Response, text: str) -> Any:
    # Gateways answer with HTML under any status, so only a body that says it
    # is JSON, or looks like a JSON object, is decoded, and never fatally.
    content_type = response.headers.get("content-type", "").lower()
    looks_json = "json" in content_type or text.lstrip().startswith("{")
    if not looks_json:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _message(data: Any, text: str, response: httpx.Response) -> str:
    if isinstance(data, dict):
        detail = data.get("detail")
        if isinstance(detail, str) and detail:
            return detail
        fields = [f"{key}: {_join(value)}" for key, value in data.items()]
        if fields:
            return "; ".join(fields)

    preview = _preview(text)
    reason = response.reason_phrase or "error"
    return f"{reason}: {preview}" if preview else reason


def _join(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value)


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= _PREVIEW_CHARS:
        return flat
    return flat[:_PREVIEW_CHARS] + "..."


def _describe(error: httpx.TransportError) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return "timed out connecting"
    if isinstance(error, httpx.PoolTimeout):
        return "timed out waiting for a free connection"
    if isinstance(error, httpx.TimeoutException):
        return "timed out waiting for the response"
    if isinstance(error, httpx.ConnectError):
        return "connection failed"
    if isinstance(error, httpx.RemoteProtocolError):
        return "the server broke the HTTP exchange"
    return "network error"
