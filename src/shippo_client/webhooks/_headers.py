"""Header lookup and Content-Length parsing over any framework's header mapping."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ._errors import MalformedWebhookError

__all__ = ["MAX_CONTENT_LENGTH_DIGITS", "header_value", "parse_content_length"]

# 19 digits hold any length below 2**63, the range HTTP servers and proxies
# use. Longer values are rejected before int() parses them, because int() of
# more than 4300 digits raises ValueError and a long one costs time to convert.
MAX_CONTENT_LENGTH_DIGITS = 19

_DIGITS = re.compile(rf"[0-9]{{1,{MAX_CONTENT_LENGTH_DIGITS}}}")


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """Return the value of header ``name``, matched without regard to case."""
    value = headers.get(name)
    if value is not None:
        return value

    lowered = name.lower()
    for key, candidate in headers.items():
        if key.lower() == lowered:
            return candidate
    return None


def parse_content_length(value: str) -> int:
    """Parse a Content-Length value: 1 to 19 ASCII digits, with optional spaces.

    Raises:
        MalformedWebhookError: the value is anything else, such as a sign,
            non-ASCII digits, a list of lengths or more than 19 digits.
    """
    text = value.strip(" \t")
    if _DIGITS.fullmatch(text) is None:
        raise MalformedWebhookError(f"invalid Content-Length {value[:40]!r}")
    return int(text)
