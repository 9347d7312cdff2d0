"""Receive Shippo webhook deliveries: parse, verify, deduplicate, order.

from shippo_client.webhooks import HmacVerifier, WebhookEndpoint

endpoint = WebhookEndpoint(token="...", verifier=HmacVerifier("secret"))
result = endpoint.respond(raw_body, headers, query_string)
# respond with result.status; result.event is a TrackUpdatedEvent or a WebhookEvent

``WebhookReceiver`` runs the same checks on a local HTTP server.
"""

from ._endpoint import DeliveryResult, WebhookEndpoint, status_for_error
from ._errors import (
    MalformedWebhookError,
    PayloadTooLargeError,
    WebhookVerificationError,
)
from ._events import (
    MAX_BODY_BYTES,
    AnyWebhookEvent,
    TrackUpdatedEvent,
    WebhookEvent,
    parse_webhook,
)
from ._ordering import Deduplicator, sort_by_status_date
from ._receiver import WebhookReceiver
from ._signing import (
    DEFAULT_SIGNATURE_HEADER,
    DEFAULT_TOLERANCE_S,
    HmacSigner,
    HmacVerifier,
    SignatureFormat,
    Verifier,
    verify_token,
)

__all__ = [
    "DEFAULT_SIGNATURE_HEADER",
    "DEFAULT_TOLERANCE_S",
    "MAX_BODY_BYTES",
    "AnyWebhookEvent",
    "Deduplicator",
    "DeliveryResult",
    "HmacSigner",
    "HmacVerifier",
    "MalformedWebhookError",
    "PayloadTooLargeError",
    "SignatureFormat",
    "TrackUpdatedEvent",
    "Verifier",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookReceiver",
    "WebhookVerificationError",
    "parse_webhook",
    "sort_by_status_date",
    "status_for_error",
    "verify_token",
]
