"""Parse a webhook delivery's raw body into a typed event."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._typecheck import wrong_type
from ..models import Track, TrackingStatus, WebhookEventTypeEnum, WebhookPayloadTrack
from ._errors import MalformedWebhookError, PayloadTooLargeError
from ._headers import header_value, parse_content_length

__all__ = [
    "MAX_BODY_BYTES",
    "AnyWebhookEvent",
    "TrackUpdatedEvent",
    "WebhookEvent",
    "parse_webhook",
    "track_ordering_key",
]

# Shippo documents no size for deliveries. A Track with a long history is a few
# tens of KiB, so 1 MiB leaves ample room and still bounds memory per request.
MAX_BODY_BYTES = 1024 * 1024

# Sorts tracks and events that have no status_date before every dated one.
_EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)

_KNOWN_KEYS = ("event", "test", "data")


@dataclass(frozen=True, slots=True)
class TrackUpdatedEvent:
    """A ``track_updated`` delivery: a parcel's Track after a new tracking event.

    Attributes:
        test: True when the event comes from test mode, None when not sent.
        data: The parcel's Track, parsed by the same models as the client's.
        dedup_key: A key that identifies this tracking event. Payloads carry no
            event id, so it is built from the carrier, the tracking number and
            the latest tracking_status (object_id, status_date and status).
        ordering_key: The latest tracking_status's status_date, or the earliest
            possible datetime when there is none. Sort by it, not by arrival.
        extra: Top-level keys other than event, test and data.
        event: Always ``WebhookEventTypeEnum.TRACK_UPDATED``.
    """

    test: bool | None
    data: Track
    dedup_key: str
    ordering_key: datetime.datetime
    extra: dict[str, Any] = field(default_factory=dict)
    event: WebhookEventTypeEnum = WebhookEventTypeEnum.TRACK_UPDATED

    @property
    def track(self) -> Track:
        """The parcel's Track (the same object as ``data``)."""
        return self.data


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """A delivery of any event type other than ``track_updated``.

    Attributes:
        event: The event type, an enum member when documented, else the string.
        test: True when the event comes from test mode, None when not sent.
        data: The ``data`` value as decoded JSON, not validated.
        dedup_key: SHA-256 of the payload in canonical JSON, since payloads
            carry no event id.
        extra: Top-level keys other than event, test and data.
    """

    event: WebhookEventTypeEnum | str
    test: bool | None
    data: Any
    dedup_key: str
    extra: dict[str, Any] = field(default_factory=dict)


AnyWebhookEvent = TrackUpdatedEvent | WebhookEvent


def parse_webhook(
    body: bytes,
    headers: Mapping[str, str] | None = None,
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> AnyWebhookEvent:
    """Parse the raw body of a webhook POST into a typed event.

    Verify authenticity first (see HmacVerifier), on the same raw bytes.
    When ``headers`` has a Content-Length, a body of any other length is
    rejected as truncated or padded.

    Raises:
        PayloadTooLargeError: the body or its Content-Length is over
            ``max_body_bytes``, checked before decoding.
        MalformedWebhookError: the Content-Length is not 1 to 19 ASCII digits
            or differs from the body's length. Also raised when the body is
            not a JSON object, has no string ``event``, no ``data``, a
            ``test`` that is not a boolean, or a ``track_updated`` whose data
            is not a valid Track (a missing field or a value of the wrong type).
    """
    _check_size(body, headers, max_body_bytes)
    payload = _decode(body)
    event_type = _event_type(payload)
    test = _test_flag(payload)
    if "data" not in payload:
        raise MalformedWebhookError(f"invalid {event_type} payload: missing 'data'")

    extra = {k: v for k, v in payload.items() if k not in _KNOWN_KEYS}
    if event_type == WebhookEventTypeEnum.TRACK_UPDATED:
        return _track_event(payload, test, extra)

    return WebhookEvent(
        event=_enum_or_str(event_type),
        test=test,
        data=payload["data"],
        dedup_key=_payload_digest(payload),
        extra=extra,
    )


def track_ordering_key(track: Track) -> datetime.datetime:
    """Return the status_date of the Track's latest status, or the earliest datetime."""
    status = track.tracking_status
    if isinstance(status, TrackingStatus) and isinstance(
        status.status_date, datetime.datetime
    ):
        return status.status_date
    return _EARLIEST


def _check_size(
    body: bytes, headers: Mapping[str, str] | None, max_body_bytes: int
) -> None:
    if len(body) > max_body_bytes:
        raise PayloadTooLargeError(
            f"body of {len(body)} bytes is over the limit of {max_body_bytes} bytes"
        )

    declared = header_value(headers, "content-length") if headers else None
    if declared is None:
        return

    length = parse_content_length(declared)
    if length > max_body_bytes:
        raise PayloadTooLargeError(
            f"Content-Length {length} is over the limit of {max_body_bytes} bytes"
        )
    if length != len(body):
        raise MalformedWebhookError(
            f"body has {len(body)} bytes but Content-Length is {length}: "
            "truncated or padded delivery"
        )


def _decode(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad UTF-8, bad JSON and over-long integer literals.
        raise MalformedWebhookError(f"body is not valid JSON: {exc}") from None

    if not isinstance(payload, dict):
        raise MalformedWebhookError(
            f"expected a JSON object, got {type(payload).__name__}"
        )
    return payload


def _event_type(payload: dict[str, Any]) -> str:
    event = payload.get("event")
    if event is None:
        raise MalformedWebhookError("invalid payload: missing 'event'")
    if not isinstance(event, str):
        raise MalformedWebhookError(
            f"invalid 'event': expected a string, got {type(event).__name__}"
        )
    return event


def _test_flag(payload: dict[str, Any]) -> bool | None:
    test = payload.get("test")
    if test is not None and not isinstance(test, bool):
        raise MalformedWebhookError(
            f"invalid 'test': expected a boolean, got {type(test).__name__}"
        )
    return test


def _track_event(
    payload: dict[str, Any], test: bool | None, extra: dict[str, Any]
) -> TrackUpdatedEvent:
    if not isinstance(payload["data"], dict):
        kind = type(payload["data"]).__name__
        raise MalformedWebhookError(
            f"invalid track_updated payload: 'data' must be a Track object, got {kind}"
        )

    track = _parse_track(payload)
    return TrackUpdatedEvent(
        test=test,
        data=track,
        dedup_key=_track_dedup_key(track),
        ordering_key=track_ordering_key(track),
        extra=extra,
    )


def _parse_track(payload: dict[str, Any]) -> Track:
    try:
        parsed = WebhookPayloadTrack.from_dict(payload)
    except KeyError as exc:
        raise MalformedWebhookError(
            f"invalid Track in 'data': missing field {exc}"
        ) from None
    except (TypeError, ValueError, AttributeError, RecursionError) as exc:
        # The generated parser reports a wrong type as whatever the failing
        # call raises, and a deep nesting as RecursionError.
        raise MalformedWebhookError(
            f"invalid Track in 'data': {type(exc).__name__}: {exc}"
        ) from None

    # The generated parser copies required strings and list items without
    # checking their type, so "carrier": 5 or "object_id": null get through.
    track = parsed.data
    problem = wrong_type(track)
    if problem is not None:
        raise MalformedWebhookError(f"invalid Track in 'data': {problem}")
    return track


def _track_dedup_key(track: Track) -> str:
    # str() on every part: wrong_type has checked the types, but a key must
    # not fail on a value it did not expect.
    parts = [str(track.carrier), str(track.tracking_number)]
    status = track.tracking_status
    if isinstance(status, TrackingStatus):
        date = status.status_date
        parts.append(str(status.object_id))
        parts.append(date.isoformat() if isinstance(date, datetime.datetime) else "")
        parts.append(str(status.status))
    return "track_updated:" + "|".join(parts)


def _payload_digest(payload: dict[str, Any]) -> str:
    try:
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    except (ValueError, RecursionError) as exc:
        # json.dumps checks the recursion limit against the caller's stack
        # depth, so a body that json.loads accepted may still fail here.
        raise MalformedWebhookError(
            f"invalid payload: cannot build its dedup key: {exc}"
        ) from None
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{payload['event']}:{digest}"


def _enum_or_str(value: str) -> WebhookEventTypeEnum | str:
    try:
        return WebhookEventTypeEnum(value)
    except ValueError:
        return value
