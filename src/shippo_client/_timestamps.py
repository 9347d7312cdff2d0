"""Parse the RFC 3339 timestamps that datetime.fromisoformat rejects.

The generated models try datetime.fromisoformat first and call
parse_timestamp only when it fails or returns a naive value. This module
therefore handles the rare forms: a lowercase "t" or "z", a leap second, and
the offset-less stamps that Shippo's test mode sent in 2018, which are UTC.
"""

from __future__ import annotations

import datetime
import re

__all__ = ["parse_timestamp"]

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"([Zz]|[+-]\d{2}:?\d{2})?"
)


def parse_timestamp(value: str) -> datetime.datetime:
    """Parse an RFC 3339 date-time into a timezone-aware datetime.

    A missing offset means UTC. A leap second (":60") becomes the last
    microsecond of the preceding second, which keeps the order of events.

    Raises:
        ValueError: the value is not an RFC 3339 date-time.
        TypeError: the value is not a string.
    """
    if not isinstance(value, str):
        raise TypeError(f"expected a date-time string, got {type(value).__name__}")

    match = _RFC3339.fullmatch(value.strip())
    if match is None:
        raise ValueError(f"invalid RFC 3339 date-time: {value!r}")

    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    microsecond = _microseconds(match.group(7))
    if second == 60:
        second, microsecond = 59, 999_999

    return datetime.datetime(
        year, month, day, hour, minute, second, microsecond, _offset(match.group(8))
    )


def _microseconds(fraction: str | None) -> int:
    if not fraction:
        return 0
    # Shippo sends milliseconds; longer fractions are cut to microseconds.
    return int(fraction[1:7].ljust(6, "0"))


def _offset(text: str | None) -> datetime.timezone:
    if text is None or text in ("Z", "z"):
        return datetime.UTC

    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    delta = datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return datetime.timezone(sign * delta)
