"""The webhook exceptions, both subclasses of errors.WebhookError."""

from __future__ import annotations

from ..errors import WebhookError

__all__ = [
    "MalformedWebhookError",
    "PayloadTooLargeError",
    "WebhookVerificationError",
]


class MalformedWebhookError(WebhookError):
    """The delivery is not a valid webhook payload: not JSON, wrong types,
    missing fields, or a body that does not match its Content-Length.

    A receiver responds with 400.
    """


class PayloadTooLargeError(MalformedWebhookError):
    """The body is larger than the receiver accepts. A receiver responds with 413."""


class WebhookVerificationError(WebhookError):
    """The delivery failed its authenticity check: a missing or wrong token,
    a missing, invalid or wrong signature, or a timestamp outside the tolerance.

    A receiver responds with 401. Messages never contain the secret.
    """
