"""Plain-text views of a Track's fields, shared by the tables and batch rows."""

from __future__ import annotations

import datetime
from typing import Any

from ..models import Track, TrackingStatus, TrackingStatusLocationBase
from ..models.components import Unset

__all__ = [
    "current_status",
    "format_date",
    "format_location",
    "short_date",
    "status_name",
    "substatus_code",
]


def current_status(track: Track) -> TrackingStatus | None:
    status = track.tracking_status
    return status if isinstance(status, TrackingStatus) else None


def status_name(event: TrackingStatus | None) -> str:
    return "" if event is None else str(event.status)


def substatus_code(event: TrackingStatus | None) -> str:
    substatus = None if event is None else event.substatus
    if isinstance(substatus, Unset) or substatus is None:
        return ""
    return str(substatus.code)


def format_date(value: datetime.datetime | Unset | None) -> str:
    """Return an ISO 8601 date, or "" when the field is missing or null."""
    if isinstance(value, Unset) or value is None:
        return ""
    return value.isoformat()


def short_date(value: datetime.datetime | Unset | None) -> str:
    """Return a date to the minute for tables, such as "2026-12-03 13:45 UTC"."""
    if isinstance(value, Unset) or value is None:
        return ""
    if value.tzinfo is None:
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d %H:%M %Z").replace("UTC+00:00", "UTC")


def format_location(location: TrackingStatusLocationBase | Unset | None) -> str:
    """Return "city, state zip, country" without the parts Shippo left empty."""
    if isinstance(location, Unset) or location is None:
        return ""

    city = _text(location.city)
    region = " ".join(
        part for part in (_text(location.state), _text(location.zip_)) if part
    )
    country = _text(location.country)
    return ", ".join(part for part in (city, region, country) if part)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
