"""The test-mode tracking numbers and the Track bodies the sandbox builds for them.

Shippo's test mode serves carrier ``shippo`` with six magic numbers. The
shape follows a 2019 recording of ``GET /tracks/shippo/SHIPPO_TRANSIT``:
``test: true``, ``messages: []``, ``transaction: null``, ``object_updated:
null``, addresses San Francisco to Chicago, service level ``shippo_priority``,
and dates relative to the request (ETA three days ahead, the TRANSIT scan
about 26 hours back and the UNKNOWN scan about 52 hours back).

NOTE: only the SHIPPO_TRANSIT and SHIPPO_DELIVERED responses are confirmed.
The other histories follow an unconfirmed description of one cumulative
chain (UNKNOWN, TRANSIT, FAILURE, DELIVERED, RETURNED), in which each number
adds the next status, and SHIPPO_PRE_TRANSIT has a single event.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = [
    "DEFAULT_METADATA",
    "TEST_CARRIER",
    "TEST_NUMBERS",
    "Event",
    "fixture_events",
    "format_timestamp",
    "next_event",
    "track_body",
]

TEST_CARRIER = "shippo"
DEFAULT_METADATA = "Shippo test tracking"

# Time between two consecutive fixture scans; the last scan is this long ago.
SCAN_SPACING = timedelta(hours=26)
ETA_AHEAD = timedelta(days=3)

_CHAIN = ("UNKNOWN", "TRANSIT", "FAILURE", "DELIVERED", "RETURNED")

TEST_NUMBERS: dict[str, tuple[str, ...]] = {
    "SHIPPO_PRE_TRANSIT": ("PRE_TRANSIT",),
    "SHIPPO_UNKNOWN": _CHAIN[:1],
    "SHIPPO_TRANSIT": _CHAIN[:2],
    "SHIPPO_FAILURE": _CHAIN[:3],
    "SHIPPO_DELIVERED": _CHAIN[:4],
    "SHIPPO_RETURNED": _CHAIN[:5],
}

# The status a registered shipment moves to next, for webhook deliveries.
# DELIVERED, RETURNED and FAILURE are final.
_NEXT_STATUS = {
    "PRE_TRANSIT": "TRANSIT",
    "UNKNOWN": "TRANSIT",
    "TRANSIT": "DELIVERED",
}

_ORIGIN = {"city": "San Francisco", "state": "CA", "zip": "94103", "country": "US"}
_DESTINATION = {"city": "Chicago", "state": "IL", "zip": "60611", "country": "US"}

_SERVICE_LEVEL = {
    "token": "shippo_priority",
    "name": "Priority Mail",
    "terms": "",
    "extended_token": "shippo_priority",
    "parent_servicelevel": None,
}


@dataclass(frozen=True)
class _StatusText:
    details: str
    code: str
    text: str
    action_required: bool
    location: dict[str, str] | None


# Substatus codes come from Shippo's documented event definitions.
_TEXTS = {
    "PRE_TRANSIT": _StatusText(
        "The shipping label has been created. The carrier does not have "
        "the package yet.",
        "information_received",
        "Information about the package received.",
        False,
        None,
    ),
    "UNKNOWN": _StatusText(
        "The carrier has received the electronic shipment information.",
        "other",
        "An event the carrier did not classify.",
        False,
        _ORIGIN,
    ),
    "TRANSIT": _StatusText(
        "Your shipment has departed from the origin.",
        "package_departed",
        "The package has departed from a carrier facility.",
        False,
        _ORIGIN,
    ),
    "FAILURE": _StatusText(
        "The carrier could not deliver your shipment.",
        "package_undeliverable",
        "The package could not be delivered.",
        True,
        _DESTINATION,
    ),
    "DELIVERED": _StatusText(
        "Your shipment has been delivered.",
        "delivered",
        "The package has been delivered.",
        False,
        _DESTINATION,
    ),
    "RETURNED": _StatusText(
        "Your shipment is being returned to the sender.",
        "return_to_sender",
        "The package is on its way back to the sender.",
        False,
        _DESTINATION,
    ),
}

# Fixed namespace, so that an event's object_id is the same on every request.
_ID_NAMESPACE = uuid.UUID("6f1c2d0e-5a7b-4c3d-9e8f-0a1b2c3d4e5f")


@dataclass(frozen=True)
class Event:
    """One tracking event: its status, carrier scan time and stable id."""

    status: str
    status_date: datetime
    object_id: str


def fixture_events(number: str, now: datetime) -> list[Event]:
    """Return the history of a test number, earliest first, dated before now."""
    statuses = TEST_NUMBERS[number]
    count = len(statuses)
    return [
        Event(status, now - SCAN_SPACING * (count - index), _event_id(number, index))
        for index, status in enumerate(statuses)
    ]


def next_event(
    number: str, history: Sequence[Event], now: datetime, key: str
) -> Event | None:
    """Return the event that moves a registered shipment on, or None if final.

    ``key`` identifies the registration, so that each registration's new
    events get their own ids.
    """
    status = _NEXT_STATUS.get(history[-1].status)
    if status is None:
        return None
    return Event(status, now, _event_id(f"{number}/{key}", len(history)))


def track_body(
    number: str,
    history: Sequence[Event],
    now: datetime,
    metadata: str | None = None,
) -> dict[str, Any]:
    """Build the JSON object of a test-mode Track."""
    eta = format_timestamp(now + ETA_AHEAD)
    events = [_event_body(event, now) for event in history]
    return {
        "messages": [],
        "carrier": TEST_CARRIER,
        "tracking_number": number,
        "address_from": dict(_ORIGIN),
        "address_to": dict(_DESTINATION),
        "eta": eta,
        "original_eta": eta,
        "servicelevel": dict(_SERVICE_LEVEL),
        "metadata": DEFAULT_METADATA if metadata is None else metadata,
        "tracking_status": events[-1] if events else None,
        "tracking_history": events,
        "transaction": None,
        "test": True,
    }


def format_timestamp(moment: datetime) -> str:
    """Format a time as RFC 3339 in UTC with milliseconds, as Shippo does."""
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def _event_body(event: Event, now: datetime) -> dict[str, Any]:
    texts = _TEXTS[event.status]
    location = None if texts.location is None else dict(texts.location)
    substatus = {
        "code": texts.code,
        "text": texts.text,
        "action_required": texts.action_required,
    }
    return {
        "object_created": format_timestamp(now),
        "object_updated": None,
        "object_id": event.object_id,
        "status": event.status,
        "status_details": texts.details,
        "status_date": format_timestamp(event.status_date),
        "substatus": substatus,
        "location": location,
    }


def _event_id(scope: str, index: int) -> str:
    return uuid.uuid5(_ID_NAMESPACE, f"{scope}/{index}").hex
