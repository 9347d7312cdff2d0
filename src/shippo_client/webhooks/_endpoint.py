"""Framework-neutral request handling shared by the receiver and the examples."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ConfigurationError, WebhookError
from ._errors import (
    MalformedWebhookError,
    PayloadTooLargeError,
    WebhookVerificationError,
)
from ._events import MAX_BODY_BYTES, AnyWebhookEvent, parse_webhook
from ._headers import parse_content_length
from ._signing import Verifier, verify_token

__all__ = ["DeliveryResult", "WebhookEndpoint", "status_for_error"]


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """The HTTP response to one delivery.

    Attributes:
        status: The HTTP status: 200, 400, 401 or 413.
        message: A short plain-text reason for the response body. For 401 it
            does not say which check failed, so as not to help a forger.
        event: The parsed event when status is 200, else None.
        error: The rejection when status is not 200, else None.
    """

    status: int
    message: str
    event: AnyWebhookEvent | None = None
    error: WebhookError | None = None

    @classmethod
    def rejected(cls, error: WebhookError) -> DeliveryResult:
        """Build the result that rejects a delivery with ``error``."""
        status = status_for_error(error)
        message = "webhook verification failed" if status == 401 else str(error)
        return cls(status, message, error=error)


class WebhookEndpoint:
    """Check and parse deliveries, whatever the web framework.

    An adapter calls ``check_content_length`` before reading the body, then
    ``respond`` (or ``receive``, which raises) with the raw body, the headers
    and the URL's query string.

    Args:
        token: When set, the query parameter ``token_param`` must equal it.
        token_param: The query parameter that carries the token.
        verifier: When set, checks each body and its headers (HmacVerifier).
        max_body_bytes: Bodies larger than this are rejected with 413.
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        token_param: str = "token",
        verifier: Verifier | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        if token is not None and not token:
            raise ConfigurationError("invalid webhook token: it is empty")
        if max_body_bytes < 1:
            raise ConfigurationError(
                f"invalid max_body_bytes {max_body_bytes!r}: expected >= 1"
            )
        self._token = token
        self.token_param = token_param
        self.verifier = verifier
        self.max_body_bytes = max_body_bytes

    def __repr__(self) -> str:
        return (
            f"WebhookEndpoint(token={'set' if self._token else None}, "
            f"verifier={self.verifier!r}, max_body_bytes={self.max_body_bytes})"
        )

    def check_content_length(self, value: str | None) -> int:
        """Return the declared body length, before anything is read.

        Raises:
            MalformedWebhookError: the header is missing or is not 1 to 19
                ASCII digits.
            PayloadTooLargeError: the length is over ``max_body_bytes``.
        """
        if value is None:
            raise MalformedWebhookError("missing Content-Length header")

        length = parse_content_length(value)
        if length > self.max_body_bytes:
            raise PayloadTooLargeError(
                f"Content-Length {length} is over the limit of "
                f"{self.max_body_bytes} bytes"
            )
        return length

    def receive(
        self, body: bytes, headers: Mapping[str, str], query_string: str = ""
    ) -> AnyWebhookEvent:
        """Check the token and the signature, then parse the body.

        Raises:
            WebhookVerificationError: the token or the signature check failed.
            MalformedWebhookError: the body is not a valid payload.
        """
        if self._token is not None:
            verify_token(query_string, self._token, param=self.token_param)
        if self.verifier is not None:
            self.verifier.verify(body, headers)

        return parse_webhook(body, headers, max_body_bytes=self.max_body_bytes)

    def respond(
        self, body: bytes, headers: Mapping[str, str], query_string: str = ""
    ) -> DeliveryResult:
        """Run ``receive`` and turn its outcome into a status and a message."""
        try:
            event = self.receive(body, headers, query_string)
        except WebhookError as exc:
            return DeliveryResult.rejected(exc)
        return DeliveryResult(200, "ok", event=event)


def status_for_error(error: WebhookError) -> int:
    """Return the HTTP status for a rejected delivery: 401, 413 or 400."""
    if isinstance(error, WebhookVerificationError):
        return 401
    if isinstance(error, PayloadTooLargeError):
        return 413
    return 400
