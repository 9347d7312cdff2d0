"""Validation of the client's settings."""

from __future__ import annotations

import httpx

from .errors import ConfigurationError

__all__ = [
    "DEFAULT_SERVER_URL",
    "MAX_TIMEOUT_MS",
    "check_url",
    "check_version",
    "request_timeout",
    "shown",
]

DEFAULT_SERVER_URL = "https://api.goshippo.com"

# One day. A longer per-operation timeout is a mistake rather than a wish, and
# values near float's maximum overflow the socket layer's timeval.
MAX_TIMEOUT_MS = 86_400_000


def request_timeout(timeout_ms: object) -> httpx.Timeout:
    """Return the httpx timeout for a value in milliseconds.

    The value bounds each network operation (connecting, each read, each
    write), not the whole call. None is rejected rather than read as "no
    timeout": a call without a timeout can hang a worker forever on a stalled
    connection.
    """
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, int | float):
        raise ConfigurationError(
            f"timeout_ms must be a number of milliseconds, got {timeout_ms!r}"
        )
    # The chained comparison also rejects NaN, and compares huge ints exactly.
    if not 0 < timeout_ms <= MAX_TIMEOUT_MS:
        raise ConfigurationError(
            f"timeout_ms must be above 0 and at most {MAX_TIMEOUT_MS:,} (one day), "
            f"got {shown(timeout_ms)}"
        )
    return httpx.Timeout(timeout_ms / 1000)


def shown(value: object) -> str:
    """Return the repr of a setting's value for an error message.

    An int of more than about 4,300 digits has no repr (ValueError), and a
    long one would flood the message, so large ints are described by size.
    """
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an integer of {value.bit_length()} bits"
    return repr(value)


def check_url(url: object) -> str:
    """Return the base URL without a trailing slash, or the default for None.

    A path prefix such as /v1 is kept. A query or a fragment is rejected,
    because request paths are appended to the URL's text.
    """
    if url is None:
        return DEFAULT_SERVER_URL
    if not isinstance(url, str):
        raise ConfigurationError(f"server_url must be a str, got {type(url).__name__}")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"invalid server_url {url!r}: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            f"invalid server_url {url!r}: expected http(s)://host[:port][/path]"
        )
    if "?" in url or "#" in url:
        raise ConfigurationError(
            f"invalid server_url {url!r}: remove the query or fragment "
            "(a path prefix such as /v1 is allowed)"
        )
    return url.rstrip("/")


def check_version(version: object) -> str | None:
    """Return the API version, checked to be sendable as a header value."""
    if version is None:
        return None
    if not isinstance(version, str):
        raise ConfigurationError(
            f"shippo_api_version must be a str, got {type(version).__name__}"
        )
    # httpx encodes header values as ASCII only when the request is sent, and
    # a control character or a space would corrupt the header.
    if (
        not version
        or not version.isascii()
        or not version.isprintable()
        or any(ch.isspace() for ch in version)
    ):
        raise ConfigurationError(
            f"invalid shippo_api_version {version!r}: "
            "expected printable ASCII such as 2018-02-08"
        )
    return version
