"""The API key: validation, the Authorization header and a masked form."""

from __future__ import annotations

import os

from .errors import ConfigurationError

__all__ = ["ApiKey"]

_SCHEMES = ("ShippoToken", "Bearer")

# The part of a key that may appear in reprs and messages: the mode prefix.
_VISIBLE_PREFIXES = ("shippo_test_", "shippo_live_", "oauth.")


class ApiKey:
    """A Shippo API key, kept out of every repr and str.

    Accepts the key alone ("shippo_test_..."), with its scheme word
    ("ShippoToken shippo_test_..."), or, when no key is given, the
    SHIPPO_API_KEY environment variable. OAuth tokens ("oauth....") are sent
    with the Bearer scheme, as Shippo's OAuth flow expects.
    """

    __slots__ = ("_header", "_masked")

    def __init__(self, value: str | None) -> None:
        raw = value if value is not None else os.environ.get("SHIPPO_API_KEY")
        if raw is not None and not isinstance(raw, str):
            raise ConfigurationError(
                f"the API key must be a str, got {type(raw).__name__}"
            )
        if raw is None or not raw.strip():
            raise ConfigurationError(
                "missing API key: pass api_key_header=... or set SHIPPO_API_KEY"
            )

        scheme, token = _split(raw.strip())
        self._header = f"{scheme} {token}"
        self._masked = mask(token)

    @property
    def header(self) -> str:
        """The Authorization header value."""
        return self._header

    def __repr__(self) -> str:
        return f"ApiKey({self._masked!r})"

    __str__ = __repr__


def mask(token: str) -> str:
    """Return the key's mode prefix followed by asterisks."""
    for prefix in _VISIBLE_PREFIXES:
        if token.startswith(prefix):
            return prefix + "****"
    return "****"


def _split(raw: str) -> tuple[str, str]:
    scheme, _, rest = raw.partition(" ")
    if scheme in _SCHEMES and rest:
        token = rest.strip()
    else:
        scheme, token = "ShippoToken", raw
    if token.startswith("oauth."):
        scheme = "Bearer"
    if token in _SCHEMES:
        raise ConfigurationError(f"invalid API key: the key after {token} is missing")

    # Whitespace around the key (a newline from a key file) is trimmed above.
    # A line break or a space inside the token would split the header or be
    # read as two words, and httpx rejects non-ASCII header values with an
    # error that quotes them. The message omits the key.
    if (
        not token
        or not token.isascii()
        or any(ch.isspace() or not ch.isprintable() for ch in token)
    ):
        raise ConfigurationError(
            "invalid API key: it contains whitespace, control or non-ASCII characters; "
            "copy the key again from Shippo's API settings page"
        )
    return scheme, token
