"""Case-insensitive header lookup over whatever mapping a framework provides."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["header_value"]


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
