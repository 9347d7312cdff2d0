"""HMAC signatures and URL tokens: the checks users turn on against forgery."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from shippo_client import errors
from shippo_client.webhooks import (
    HmacSigner,
    HmacVerifier,
    SignatureFormat,
    WebhookVerificationError,
    verify_token,
)

SECRET = "whsec-test-0123456789"
BODY = b'{"event": "track_updated", "test": true, "data": {}}'
NOW = 1_780_000_000.0


def _clock(value: float = NOW):
    return lambda: value


def _verifier(**kwargs: object) -> HmacVerifier:
    return HmacVerifier(SECRET, clock=_clock(), **kwargs)  # type: ignore[arg-type]


def test_signer_header_format() -> None:
    headers = HmacSigner(SECRET, clock=_clock()).headers(BODY)
    expected = hmac.new(
        SECRET.encode(), b"1780000000." + BODY, hashlib.sha256
    ).hexdigest()

    assert headers == {"Shippo-Auth-Signature": f"t=1780000000,v1={expected}"}


def test_signed_body_verifies() -> None:
    headers = HmacSigner(SECRET, clock=_clock()).headers(BODY)

    _verifier().verify(BODY, headers)


def test_header_lookup_ignores_case() -> None:
    value = HmacSigner(SECRET, clock=_clock()).signature(BODY)

    _verifier().verify(BODY, {"shippo-auth-signature": value})


def test_altered_body_rejected() -> None:
    headers = HmacSigner(SECRET, clock=_clock()).headers(BODY)
    altered = BODY.replace(b"true", b"false")

    with pytest.raises(WebhookVerificationError, match="does not match"):
        _verifier().verify(altered, headers)


def test_wrong_secret_rejected() -> None:
    headers = HmacSigner("another-secret", clock=_clock()).headers(BODY)

    with pytest.raises(WebhookVerificationError):
        _verifier().verify(BODY, headers)


def test_missing_header_rejected() -> None:
    with pytest.raises(WebhookVerificationError, match="missing signature header"):
        _verifier().verify(BODY, {"Content-Type": "application/json"})


@pytest.mark.parametrize(
    "value",
    [
        "v1=abcd",
        "t=1780000000",
        "t=soon,v1=abcd",
        "t=-1780000000,v1=abcd",
        "t=\uff11\uff17\uff18,v1=abcd",  # full-width digits
        "t=99999999999999999999,v1=abcd",
        "garbage",
    ],
)
def test_invalid_header_rejected(value: str) -> None:
    with pytest.raises(WebhookVerificationError):
        _verifier().verify(BODY, {"Shippo-Auth-Signature": value})


@pytest.mark.parametrize("offset", [-301, 301, -10_000])
def test_timestamp_outside_tolerance_rejected(offset: float) -> None:
    headers = HmacSigner(SECRET, clock=_clock(NOW + offset)).headers(BODY)

    with pytest.raises(WebhookVerificationError, match="tolerance"):
        _verifier().verify(BODY, headers)


@pytest.mark.parametrize("offset", [-300, 0, 300])
def test_timestamp_inside_tolerance_accepted(offset: float) -> None:
    headers = HmacSigner(SECRET, clock=_clock(NOW + offset)).headers(BODY)

    _verifier().verify(BODY, headers)


def test_tolerance_configurable() -> None:
    headers = HmacSigner(SECRET, clock=_clock(NOW - 30)).headers(BODY)

    with pytest.raises(WebhookVerificationError):
        _verifier(tolerance_s=10).verify(BODY, headers)
    _verifier(tolerance_s=60).verify(BODY, headers)


def test_any_of_several_signatures_accepted() -> None:
    good = HmacSigner(SECRET, clock=_clock()).signature(BODY).split(",")[1]
    value = f"t=1780000000,v1={'0' * 64},{good}"

    _verifier().verify(BODY, {"Shippo-Auth-Signature": value})


def test_header_name_configurable() -> None:
    signer = HmacSigner(SECRET, header="Shippo-Signature", clock=_clock())
    headers = signer.headers(BODY)

    assert list(headers) == ["Shippo-Signature"]
    _verifier(header="Shippo-Signature").verify(BODY, headers)
    with pytest.raises(WebhookVerificationError, match="Shippo-Auth-Signature"):
        _verifier().verify(BODY, headers)


def test_hex_format() -> None:
    signer = HmacSigner(SECRET, signature_format="hex")
    digest = hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    verifier = HmacVerifier(SECRET, signature_format=SignatureFormat.HEX)

    assert signer.headers(BODY) == {"Shippo-Auth-Signature": digest}
    verifier.verify(BODY, {"Shippo-Auth-Signature": f"sha256={digest}"})
    verifier.verify(BODY, {"Shippo-Auth-Signature": digest.upper()})
    with pytest.raises(WebhookVerificationError):
        verifier.verify(BODY + b" ", signer.headers(BODY))


def test_secret_never_in_repr_or_message() -> None:
    signer = HmacSigner(SECRET)
    verifier = _verifier()
    texts = [repr(signer), repr(verifier)]
    for headers in ({}, {"Shippo-Auth-Signature": "t=1,v1=00"}):
        with pytest.raises(WebhookVerificationError) as info:
            verifier.verify(BODY, headers)
        texts.append(str(info.value))

    for text in texts:
        assert SECRET not in text


@pytest.mark.parametrize("secret", ["", b""])
def test_empty_secret_rejected(secret: str | bytes) -> None:
    with pytest.raises(errors.ConfigurationError):
        HmacVerifier(secret)
    with pytest.raises(errors.ConfigurationError):
        HmacSigner(secret)


@pytest.mark.parametrize(
    "tolerance",
    [-1, 0, 0.0, float("nan"), float("inf"), float("-inf"), "5", None, True],
    ids=["-1", "0", "0.0", "nan", "inf", "-inf", "str", "None", "True"],
)
def test_invalid_tolerance_rejected(tolerance: object) -> None:
    # NaN would make every skew pass the `skew > tolerance` check.
    with pytest.raises(errors.ConfigurationError, match="tolerance_s"):
        HmacVerifier(SECRET, tolerance_s=tolerance)  # type: ignore[arg-type]


def test_fractional_tolerance_accepted() -> None:
    verifier = _verifier(tolerance_s=0.5)
    signature = HmacSigner(SECRET).signature(BODY, timestamp=int(NOW) - 1)

    assert verifier.tolerance_s == 0.5
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verifier.verify(BODY, {"Shippo-Auth-Signature": signature})


def test_token_accepted() -> None:
    verify_token("a=1&token=s%C3%A9cret", "sécret")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "missing"),
        ("tokenx=abc", "missing"),
        ("token=abd", "wrong"),
        ("token=", "wrong"),
        ("token=abc&token=abc", "repeated"),
        ("token=%FF", "wrong"),
        ("token=\ud800", "wrong"),
    ],
)
def test_bad_token_rejected(query: str, message: str) -> None:
    with pytest.raises(WebhookVerificationError, match=message) as info:
        verify_token(query, "abc")

    assert "abc" not in str(info.value).replace("'token'", "")


def test_token_parameter_name_configurable() -> None:
    verify_token("key=abc", "abc", param="key")
    with pytest.raises(WebhookVerificationError):
        verify_token("token=abc", "abc", param="key")
