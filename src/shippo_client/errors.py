"""Exceptions raised by shippo_client.

Every exception the package raises derives from ShippoError::

    ShippoError
    ├── ConfigurationError          invalid settings (also a ValueError)
    ├── RequestValidationError      invalid call arguments (also a ValueError)
    ├── SDKError                    Shippo responded with a status that is not success
    │   ├── BadRequestError         400
    │   ├── AuthenticationError     401
    │   ├── PermissionDeniedError   403
    │   ├── NotFoundError           404
    │   ├── RateLimitError          429
    │   ├── ClientError             any other 4XX
    │   ├── ServerError             5XX
    │   │   └── ServiceUnavailableError   503
    │   └── UnexpectedStatusError   1XX, 3XX and codes outside 100-599
    │       └── UnexpectedRedirectError   3XX
    ├── ResponseValidationError     2XX whose body is not a valid object
    ├── WebhookError                a webhook delivery that cannot be trusted or parsed
    └── APIConnectionError          no response: refused, reset, DNS, TLS
        └── APITimeoutError         no response in time (also a TimeoutError)

No message, repr or attribute of these exceptions contains the API key: the
request attached to an error is rebuilt without its Authorization header, and
a key that the server echoes in the body, a header (X-Request-Id, Location)
or the reason phrase is replaced by its masked form, such as
"shippo_test_****". Exceptions raised while parsing a body are not chained.

NOTE: httpcore logs the raw response headers at DEBUG level, and httpx logs
each response's status line at INFO level ("HTTP Request: GET ... "HTTP/1.1
400 <reason>"") for requests sent through httpx.Client.send: those of a
caller's own client, or of any client when the environment sets a proxy. The
package cannot mask those lines, so a server that echoes the key in its
reason phrase or headers puts the key into them. Keep the "httpx" and
"httpcore" loggers above INFO where logs leave the process.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientError",
    "ConfigurationError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseValidationError",
    "SDKError",
    "ServerError",
    "ServiceUnavailableError",
    "ShippoError",
    "UnexpectedRedirectError",
    "UnexpectedStatusError",
    "WebhookError",
]

# str(error) shows at most this much of a message.
_MAX_LINE_CHARS = 300


class ShippoError(Exception):
    """Base class of every exception raised by shippo_client."""


class ConfigurationError(ShippoError, ValueError):
    """A setting of the client or of a call is invalid."""


class RequestValidationError(ShippoError, ValueError):
    """An argument of a call is invalid, so no request was sent."""


class WebhookError(ShippoError):
    """A webhook delivery is malformed or fails its authenticity check."""


class SDKError(ShippoError):
    """Shippo responded, but not with a success status.

    Attributes:
        message: Shippo's own message when the body has one, else a summary.
        status_code: The HTTP status.
        body: The response body as text, cut after the client's maximum
            response size (MAX_RESPONSE_BYTES, 16 MiB).
        raw_response: The httpx response, with the key removed from its request.
        headers: The response headers.
        data: The decoded JSON body, or None when the body is not JSON or
            cannot be decoded (cut short, or nested too deeply).
        detail: The ``detail`` string of a JSON error body, if any.
        field_errors: A 400's map from field to messages, if any.
        request_id: An id that Shippo or a gateway put in the headers, if any.
        attempts: How many requests the call sent, retries included.
        retry_after: Seconds a Retry-After header asked to wait, or None.
    """

    def __init__(
        self,
        message: str,
        raw_response: httpx.Response,
        *,
        body: str = "",
        data: Any = None,
        attempts: int = 1,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.raw_response = raw_response
        self.status_code = raw_response.status_code
        self.headers = raw_response.headers
        self.body = body
        self.data = data
        self.attempts = attempts
        self.retry_after = retry_after
        self.request_id = _request_id(raw_response.headers)
        self.detail = _detail(data)
        self.field_errors = _field_errors(data)

    def __str__(self) -> str:
        parts = [f"{self.status_code} {_one_line(self.message)}"]
        if self.request_id:
            parts.append(f"request id {_one_line(self.request_id)}")
        if self.attempts > 1:
            parts.append(f"after {self.attempts} attempts")
        if self.retry_after is not None:
            parts.append(f"retry after {self.retry_after:g} s")
        return " | ".join(parts)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"message={self.message!r}, attempts={self.attempts})"
        )


class BadRequestError(SDKError):
    """400: Shippo rejected the request, for example an unknown carrier."""


class AuthenticationError(SDKError):
    """401: the API key is missing, unknown or malformed."""


class PermissionDeniedError(SDKError):
    """403: the key may not read this object."""


class NotFoundError(SDKError):
    """404: no such object, or no such path."""


class RateLimitError(SDKError):
    """429: the account's rate limit is exhausted.

    ``retry_after`` contains the seconds the server asked to wait, or None if it
    did not say. When the client gives up because that wait is longer than
    RetryConfig.max_retry_after, the caller can wait and call again.
    """


class ClientError(SDKError):
    """A 4XX status other than 400, 401, 403, 404 and 429."""


class ServerError(SDKError):
    """5XX: Shippo or a gateway in front of it failed."""


class ServiceUnavailableError(ServerError):
    """503: Shippo is down or overloaded."""


class UnexpectedStatusError(SDKError):
    """A status that is neither success nor a 4XX or 5XX error."""


class UnexpectedRedirectError(UnexpectedStatusError):
    """A redirect. The client never follows one, so the key stays with Shippo.

    Attributes:
        location: The Location header, or None if there is none.
    """

    def __init__(
        self,
        message: str,
        raw_response: httpx.Response,
        *,
        body: str = "",
        data: Any = None,
        attempts: int = 1,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message,
            raw_response,
            body=body,
            data=data,
            attempts=attempts,
            retry_after=retry_after,
        )
        self.location: str | None = raw_response.headers.get("location")


class ResponseValidationError(ShippoError):
    """A success status whose body is not valid JSON or not a valid object.

    A body larger than MAX_RESPONSE_BYTES (16 MiB) raises it too, with `body`
    cut at that size.

    Attributes:
        message: What is wrong with the body.
        status_code: The HTTP status.
        body: The response body as text.
        raw_response: The httpx response, with the key removed from its request.
        headers: The response headers.
        request_id: An id that Shippo or a gateway put in the headers, if any.
        attempts: How many requests the call sent.
    """

    def __init__(
        self,
        message: str,
        raw_response: httpx.Response,
        *,
        body: str,
        attempts: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.raw_response = raw_response
        self.status_code = raw_response.status_code
        self.headers = raw_response.headers
        self.request_id = _request_id(raw_response.headers)
        self.body = body
        self.attempts = attempts

    def __str__(self) -> str:
        text = f"{self.status_code} invalid response body: {_one_line(self.message)}"
        if self.request_id:
            text += f" | request id {_one_line(self.request_id)}"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"message={self.message!r})"
        )


class APIConnectionError(ShippoError):
    """No response arrived: the connection was refused, reset or failed.

    Attributes:
        method: The HTTP method of the request.
        path: The request path, without the host.
        attempts: How many requests the call sent.
    """

    def __init__(
        self, message: str, *, method: str, path: str, attempts: int = 1
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.attempts = attempts

    def __str__(self) -> str:
        text = f"{self.method} {self.path}: {_one_line(self.message)}"
        if self.attempts > 1:
            text += f" | after {self.attempts} attempts"
        return text

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(method={self.method!r}, path={self.path!r}, "
            f"message={self.message!r}, attempts={self.attempts})"
        )


class APITimeoutError(APIConnectionError, TimeoutError):
    """No response arrived within the client's timeout."""


def _one_line(text: str) -> str:
    # A message may quote a multi-line body; str(error) stays one log line.
    flat = " ".join(text.split())
    if len(flat) <= _MAX_LINE_CHARS:
        return flat
    return flat[:_MAX_LINE_CHARS] + "..."


def _request_id(headers: httpx.Headers) -> str | None:
    for name in ("x-request-id", "x-shippo-request-id", "x-amzn-requestid", "cf-ray"):
        value: str | None = headers.get(name)
        if value:
            return value
    return None


def _detail(data: Any) -> str | None:
    detail = data.get("detail") if isinstance(data, Mapping) else None
    return detail if isinstance(detail, str) else None


def _field_errors(data: Any) -> dict[str, list[str]]:
    if not isinstance(data, Mapping):
        return {}

    fields: dict[str, list[str]] = {}
    for key, value in data.items():
        if key == "detail":
            continue
        if isinstance(value, list):
            fields[str(key)] = [str(item) for item in value]
        elif isinstance(value, str):
            fields[str(key)] = [value]
    return fields
