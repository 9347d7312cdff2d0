"""HMAC-SHA256 signatures and URL tokens for webhook deliveries.

Shippo's HMAC option must be requested from Shippo, and its header is not
confirmed by primary documentation. Several independent integrations verify
``Shippo-Auth-Signature: t=<unix seconds>,v1=<hex>`` where ``v1`` is
HMAC-SHA256(secret, ``"<t>.<raw body>"``), while Shippo's own notes name the
header ``Shippo-Signature``. Both the header name and the format are settings.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Protocol
from urllib.parse import parse_qs

from ..errors import ConfigurationError
from ._errors import WebhookVerificationError
from ._headers import header_value

__all__ = [
    "DEFAULT_SIGNATURE_HEADER",
    "DEFAULT_TOLERANCE_S",
    "HmacSigner",
    "HmacVerifier",
    "SignatureFormat",
    "Verifier",
    "verify_token",
]

DEFAULT_SIGNATURE_HEADER = "Shippo-Auth-Signature"

# Five minutes, as common signed-webhook schemes use: long enough for clock
# skew and a retry queue, short enough to limit the replay of a captured request.
DEFAULT_TOLERANCE_S = 300.0


class SignatureFormat(StrEnum):
    """The layout of the signature header."""

    TIMESTAMPED = "timestamped"
    """``t=<unix seconds>,v1=<hex>`` over ``"<t>.<raw body>"``."""

    HEX = "hex"
    """The hex HMAC of the raw body alone, optionally prefixed ``sha256=``."""


class Verifier(Protocol):
    """Anything that checks a delivery's authenticity from its body and headers."""

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Return if the delivery is authentic, else raise WebhookVerificationError."""
        ...


class HmacSigner:
    """Sign webhook bodies the way HmacVerifier checks them.

    ``headers`` has the ``(body) -> dict[str, str]`` shape that
    ``Sandbox(webhook_signer=...)`` takes.
    """

    def __init__(
        self,
        secret: str | bytes,
        *,
        header: str = DEFAULT_SIGNATURE_HEADER,
        signature_format: SignatureFormat | str = SignatureFormat.TIMESTAMPED,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = _secret_bytes(secret)
        self.header = header
        self.signature_format = SignatureFormat(signature_format)
        self._clock = clock

    def __repr__(self) -> str:
        return (
            f"HmacSigner(header={self.header!r}, "
            f"signature_format={self.signature_format.value!r})"
        )

    def signature(self, body: bytes, timestamp: int | None = None) -> str:
        """Return the header value for ``body``, at ``timestamp`` or now."""
        if self.signature_format is SignatureFormat.HEX:
            return _digest(self._key, body)

        t = int(self._clock()) if timestamp is None else timestamp
        return f"t={t},v1={_digest(self._key, _signed_text(t, body))}"

    def headers(self, body: bytes) -> dict[str, str]:
        """Return the signature header for ``body`` as a one-entry dict."""
        return {self.header: self.signature(body)}


class HmacVerifier:
    """Check the HMAC-SHA256 signature header of a delivery.

    Args:
        secret: The shared secret. It never appears in a message or repr.
        header: The header that carries the signature.
        signature_format: TIMESTAMPED (the default) or HEX.
        tolerance_s: How far, in seconds, a TIMESTAMPED signature's ``t`` may
            be from the clock, in either direction: a finite number > 0. The
            check cannot be turned off, because without it a captured
            delivery could be replayed forever.
        clock: Returns the current Unix time in seconds.
    """

    def __init__(
        self,
        secret: str | bytes,
        *,
        header: str = DEFAULT_SIGNATURE_HEADER,
        signature_format: SignatureFormat | str = SignatureFormat.TIMESTAMPED,
        tolerance_s: float = DEFAULT_TOLERANCE_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        _check_tolerance(tolerance_s)
        self._key = _secret_bytes(secret)
        self.header = header
        self.signature_format = SignatureFormat(signature_format)
        self.tolerance_s = tolerance_s
        self._clock = clock

    def __repr__(self) -> str:
        return (
            f"HmacVerifier(header={self.header!r}, "
            f"signature_format={self.signature_format.value!r}, "
            f"tolerance_s={self.tolerance_s!r})"
        )

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Return if the signature matches ``body``.

        Raises:
            WebhookVerificationError: the header is missing or invalid, the
                timestamp is outside the tolerance, or no signature matches.
        """
        value = header_value(headers, self.header)
        if not value:
            raise WebhookVerificationError(f"missing signature header {self.header}")

        if self.signature_format is SignatureFormat.HEX:
            self._verify_hex(body, value)
        else:
            self._verify_timestamped(body, value)

    def _verify_hex(self, body: bytes, value: str) -> None:
        received = value.strip().removeprefix("sha256=")
        if not _matches(_digest(self._key, body), [received]):
            raise WebhookVerificationError(
                f"signature in {self.header} does not match the body"
            )

    def _verify_timestamped(self, body: bytes, value: str) -> None:
        timestamp, signatures = _parse_timestamped(value, self.header)
        skew = abs(self._clock() - timestamp)
        if skew > self.tolerance_s:
            raise WebhookVerificationError(
                f"signature timestamp {timestamp} is {skew:.0f} s from the current "
                f"time, over the tolerance of {self.tolerance_s:g} s; check the "
                "server clock or the delivery is a replay"
            )

        expected = _digest(self._key, _signed_text(timestamp, body))
        if not _matches(expected, signatures):
            raise WebhookVerificationError(
                f"signature in {self.header} does not match the body"
            )


def verify_token(query_string: str, expected: str, *, param: str = "token") -> None:
    """Check the shared token in a webhook URL's query string, in constant time.

    Raises:
        WebhookVerificationError: the parameter is missing, repeated or wrong.
    """
    values = parse_qs(query_string, keep_blank_values=True).get(param, [])
    if not values:
        raise WebhookVerificationError(f"missing query parameter {param!r}")
    if len(values) > 1:
        raise WebhookVerificationError(f"query parameter {param!r} is repeated")

    # compare_digest on str accepts only ASCII, so compare UTF-8 bytes. A
    # query string decoded by a framework may hold lone surrogates, which
    # plain encode() rejects with UnicodeEncodeError.
    received = values[0].encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(received, expected.encode()):
        raise WebhookVerificationError(f"wrong value of query parameter {param!r}")


def _check_tolerance(tolerance_s: object) -> None:
    # bool is an int subclass, and NaN fails every comparison, so a plain
    # `tolerance_s < 0` check would let True, NaN and infinity through.
    valid = (
        isinstance(tolerance_s, int | float)
        and not isinstance(tolerance_s, bool)
        and math.isfinite(tolerance_s)
        and tolerance_s > 0
    )
    if not valid:
        raise ConfigurationError(
            f"invalid tolerance_s {tolerance_s!r}: expected a finite number of "
            "seconds > 0, such as 300"
        )


def _secret_bytes(secret: str | bytes) -> bytes:
    key = secret.encode() if isinstance(secret, str) else bytes(secret)
    if not key:
        raise ConfigurationError("invalid webhook secret: it is empty")
    return key


def _signed_text(timestamp: int, body: bytes) -> bytes:
    return f"{timestamp}.".encode() + body


def _digest(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _matches(expected: str, received: list[str]) -> bool:
    # Check every candidate so timing does not reveal which one matched.
    found = False
    for candidate in received:
        candidate_bytes = candidate.strip().lower().encode("ascii", "replace")
        found |= hmac.compare_digest(expected.encode(), candidate_bytes)
    return found


def _parse_timestamped(value: str, header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in value.split(","):
        key, sep, item = part.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            timestamp = _parse_unix_seconds(item, header)
        elif key == "v1":
            signatures.append(item)

    if timestamp is None:
        raise WebhookVerificationError(f"invalid {header}: missing 't=' timestamp")
    if not signatures:
        raise WebhookVerificationError(f"invalid {header}: missing 'v1=' signature")
    return timestamp, signatures


def _parse_unix_seconds(text: str, header: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise WebhookVerificationError(
            f"invalid {header}: 't' must be Unix seconds, got {text[:20]!r}"
        )
    return int(text)
