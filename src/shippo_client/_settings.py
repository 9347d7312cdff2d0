"""Validation of the client's settings."""

from __future__ import annotations

import math

import httpx

from .errors import ConfigurationError

__all__ = ["DEFAULT_SERVER_URL", "check_url", "check_version", "request_timeout"]

DEFAULT_SERVER_URL = "https://api.goshippo.com"


def request_timeout(timeout_ms: object) -> httpx.Timeout:
    """Return the httpx timeout for a value in milliseconds.

    None is rejected rather than read as "no timeout": a call without a
    timeout can hang a worker forever on a stalled connection.
    """
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, int | float):
        raise ConfigurationError(
            f"timeout_ms must be a number of milliseconds, got {timeout_ms!r}"
        )
    if not math.isfinite(timeout_ms) or timeout_ms <= 0:
        raise ConfigurationError(
            f"timeout_ms must be a positive number, got {timeout_ms!r}"
        )
    return httpx.Timeout(timeout_ms / 1000)


def check_url(url: str | None) -> str:
    if url is None:
        return DEFAULT_SERVER_URL
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"invalid server_url {url!r}: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            f"invalid server_url {url!r}: expected http(s)://host[:port]"
        )
    return url.rstrip("/")


def check_version(version: str | None) -> str | None:
    if version is None:
        return None
    if not version or not version.isprintable() or any(ch.isspace() for ch in version):
        raise ConfigurationError(
            f"invalid shippo_api_version {version!r}: "
            "expected a date such as 2018-02-08"
        )
    return version
