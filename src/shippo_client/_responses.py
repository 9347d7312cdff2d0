"""Turn final responses and httpx exceptions into Tracks or typed errors."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx

from . import errors
from ._auth import mask
from ._generated.models.track import Track
from ._retries import retry_after_seconds
from ._typecheck import wrong_type

__all__ = [
    "connection_error",
    "oversized_error",
    "parse_track",
    "redact",
    "status_error",
    "with_content",
]

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
    data, problem = _loads(response.content)
    if problem is not None:
        raise _invalid(response, attempts, problem)
    return track_from_data(data, response, attempts)


def track_from_data(data: Any, response: httpx.Response, attempts: int) -> Track:
    if not isinstance(data, dict):
        raise _invalid(
            response, attempts, f"expected an object, got {type(data).__name__}"
        )

    track = _track(data)
    if isinstance(track, str):
        raise _invalid(response, attempts, track)

    # The generated parser copies scalars without checking their type.
    problem = wrong_type(track)
    if problem is not None:
        raise _invalid(response, attempts, problem)
    return track


def oversized_error(
    response: httpx.Response, attempts: int, limit: int
) -> errors.ResponseValidationError:
    """Build the error for a success response whose body was cut at `limit`."""
    reason = f"the body is larger than the client's maximum of {limit:,} bytes"
    return _invalid(response, attempts, reason)


def _loads(content: bytes) -> tuple[Any, str | None]:
    # The errors are turned into text here and raised by the caller, outside
    # any except block, so that no traceback chains the parser's exception:
    # its message or its `doc` attribute can quote a key echoed in the body.
    try:
        return json.loads(content), None
    except (ValueError, RecursionError) as exc:
        # RecursionError: a body nested deeper than the parser's stack.
        return None, f"not JSON ({exc})"


def _track(data: dict[str, Any]) -> Track | str:
    # Returns the Track, or the problem as text for the same reason as _loads.
    try:
        return Track.from_dict(data)
    except KeyError as exc:
        return f"missing field {exc}"
    except (TypeError, ValueError, AttributeError, RecursionError) as exc:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return f"not a valid Track ({reason})"


def status_error(response: httpx.Response, attempts: int) -> errors.SDKError:
    """Build the typed error for a response whose status is not success."""
    text = _text(response)
    response = redact(response)
    data = _json_body(response, text)
    status = response.status_code
    fields: dict[str, Any] = {
        "body": text,
        "data": data,
        "attempts": attempts,
        "retry_after": retry_after_seconds(response.headers),
    }

    if 300 <= status < 400:
        location = response.headers.get("location")
        where = f" to {location}" if location else " without a Location"
        message = f"unexpected redirect{where}; the client does not follow redirects"
        return errors.UnexpectedRedirectError(message, response, **fields)

    message = _message(data, text, response)
    return _error_class(status)(message, response, **fields)


def connection_error(
    error: httpx.RequestError, method: str, path: str, attempts: int
) -> errors.APIConnectionError:
    """Wrap an httpx error that left no usable response in the package's type.

    The httpx error stays reachable as ``__cause__``, with the key removed
    from the request it carries.
    """
    secret = _secret(error.request) if _has_request(error) else None
    if secret is not None:
        error.request = _without_key(error.request)

    cls = (
        errors.APITimeoutError
        if isinstance(error, httpx.TimeoutException)
        else errors.APIConnectionError
    )
    detail = _scrub(str(error), secret)
    message = f"{_describe(error)}: {detail}" if detail else _describe(error)
    return cls(message, method=method, path=path, attempts=attempts)


def redact(response: httpx.Response) -> httpx.Response:
    """Return the response with the Authorization header and the key removed.

    Errors keep the response for callers to inspect, and the key must not
    travel with it into logs and tracebacks. The request is replaced by a
    copy without the header. A response that echoes the key in its body, its
    headers or its reason phrase is replaced by a copy with the key masked.
    """
    try:
        request = response.request
    except RuntimeError:
        return response

    secret = _secret(request)
    response.request = _without_key(request)
    if secret is None:
        return response
    token, masked = secret.encode(), mask(secret).encode()
    if not _echoes(response, token):
        return response

    headers = [
        (name.replace(token, masked), value.replace(token, masked))
        for name, value in response.headers.raw
    ]
    extensions = dict(response.extensions)
    reason = extensions.get("reason_phrase")
    if isinstance(reason, bytes):
        extensions["reason_phrase"] = reason.replace(token, masked)
    content = response.content.replace(token, masked)
    return with_content(response, content, headers=headers, extensions=extensions)


def with_content(
    response: httpx.Response,
    content: bytes,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    extensions: dict[str, Any] | None = None,
) -> httpx.Response:
    """Return a copy of a read response with the given decoded body.

    The copy drops Content-Encoding and Content-Length, because its body is
    already decoded and may be shorter than the original.
    """
    kept = [
        (name, value)
        for name, value in (response.headers.raw if headers is None else headers)
        if name.lower() not in (b"content-encoding", b"content-length")
    ]
    copy = httpx.Response(
        response.status_code,
        headers=kept,
        content=content,
        request=_request_or_none(response),
        extensions=response.extensions if extensions is None else extensions,
    )
    # httpx sets elapsed only on the responses that it closed.
    with contextlib.suppress(RuntimeError):
        copy.elapsed = response.elapsed
    return copy


def _echoes(response: httpx.Response, token: bytes) -> bool:
    reason = response.extensions.get("reason_phrase")
    if isinstance(reason, bytes) and token in reason:
        return True
    if any(token in name or token in value for name, value in response.headers.raw):
        return True
    return token in response.content


def _request_or_none(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:
        return None


def _without_key(request: httpx.Request) -> httpx.Request:
    headers = [
        (k, v) for k, v in request.headers.multi_items() if k.lower() != "authorization"
    ]
    return httpx.Request(request.method, request.url, headers=headers)


def _has_request(error: httpx.RequestError) -> bool:
    try:
        error.request  # noqa: B018 - the property raises when no request is set
    except RuntimeError:
        return False
    return True


def _secret(request: httpx.Request) -> str | None:
    """Return the token of the request's Authorization header, if any."""
    value = request.headers.get("authorization")
    if not value:
        return None
    token = value.rpartition(" ")[2]
    return token or None


def _response_secret(response: httpx.Response) -> str | None:
    request = _request_or_none(response)
    return None if request is None else _secret(request)


def _scrub(text: str, secret: str | None) -> str:
    # A gateway or a debugging proxy may echo the request headers in its
    # response body, and the key must not reach an error message that way.
    if not secret or secret not in text:
        return text
    return text.replace(secret, mask(secret))


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
    text = _text(response)
    reason = _scrub(reason, _response_secret(response))
    response = redact(response)
    return errors.ResponseValidationError(
        reason, response, body=text, attempts=attempts
    )


def _text(response: httpx.Response) -> str:
    """Decode the body as text and mask any copy of the request's key."""
    try:
        text = response.content.decode(response.encoding or "utf-8", "replace")
    except LookupError:
        # A charset name that has no Python codec.
        text = response.content.decode("utf-8", "replace")
    return _scrub(text, _response_secret(response))


def _json_body(response: httpx.Response, text: str) -> Any:
    # Gateways respond with HTML under any status, so only a body that says it
    # is JSON, or looks like a JSON object, is decoded, and never fatally.
    content_type = response.headers.get("content-type", "").lower()
    looks_json = "json" in content_type or text.lstrip().startswith("{")
    if not looks_json:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        # RecursionError: a body nested deeper than the parser's stack.
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


def _describe(error: httpx.RequestError) -> str:
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
    if isinstance(error, httpx.DecodingError):
        return "the response body could not be decompressed"
    return "network error"
