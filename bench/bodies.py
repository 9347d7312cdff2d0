"""Canned Track bodies shaped like real Shippo responses, with N history events."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["EVENT_COUNTS", "track_body", "track_dict", "tracking_number_for"]

# The two body sizes the benchmark serves: a parcel a few days in transit and
# a long international journey.
EVENT_COUNTS = (10, 200)

_STATUSES = ("PRE_TRANSIT", "TRANSIT", "TRANSIT", "TRANSIT", "DELIVERED")
_CITIES = (
    ("San Francisco", "CA", "94103"),
    ("Oakland", "CA", "94607"),
    ("Reno", "NV", "89501"),
    ("Salt Lake City", "UT", "84101"),
    ("Denver", "CO", "80202"),
    ("Chicago", "IL", "60601"),
)


def tracking_number_for(events: int) -> str:
    return f"BENCH{events:04d}"


def _location(i: int) -> dict[str, Any]:
    city, state, zip_code = _CITIES[i % len(_CITIES)]
    return {"city": city, "state": state, "zip": zip_code, "country": "US"}


def _event(i: int, count: int) -> dict[str, Any]:
    status = _STATUSES[min(i * len(_STATUSES) // count, len(_STATUSES) - 1)]
    day = 1 + i // 24 % 28
    hour = i % 24
    stamp = f"2026-03-{day:02d}T{hour:02d}:{i % 60:02d}:17.482Z"
    return {
        "object_created": stamp,
        "object_updated": stamp,
        "object_id": f"{i:08x}a9b24e3c8f1d7e6b5a4c3d2e1f",
        "status": status,
        "status_details": f"Your package arrived at the {_CITIES[i % 6][0]} facility.",
        "status_date": f"2026-03-{day:02d}T{hour:02d}:{i % 60:02d}:00Z",
        "substatus": {
            "code": "package_processed",
            "text": "Package has been processed.",
            "action_required": False,
        },
        "location": _location(i),
    }


def track_dict(events: int) -> dict[str, Any]:
    """Return a Track with `events` history events, the last one delivered."""
    history = [_event(i, events) for i in range(events)]
    return {
        "carrier": "usps",
        "tracking_number": tracking_number_for(events),
        "address_from": _location(0),
        "address_to": _location(5),
        "eta": "2026-03-12T00:00:00Z",
        "original_eta": "2026-03-11T00:00:00Z",
        "servicelevel": {"token": "usps_priority", "name": "Priority Mail"},
        "metadata": "order 18233",
        "messages": [],
        "test": False,
        "transaction": None,
        "tracking_status": history[-1],
        "tracking_history": history,
    }


def track_body(events: int) -> bytes:
    return json.dumps(track_dict(events)).encode()
