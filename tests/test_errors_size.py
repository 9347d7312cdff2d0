"""Response bodies above the client's maximum size are cut while reading."""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib
from typing import Any

import pytest

from casereplay import Exchange, FakeClock, ReplayServer
from shippo_client import RetryConfig, Shippo, _transport, errors

JSON = {"Content-Type": "application/json"}
TRACK = {"carrier": "usps", "tracking_number": "1", "tracking_history": []}
TRACK_BYTES = json.dumps(TRACK).encode()


def call(exchange: Exchange, mode: str = "sync") -> tuple[Any, ReplayServer]:
    """Serve one exchange to one call without retries; return its result."""
    with ReplayServer([exchange]) as server:
        client = Shippo(
            "shippo_test_x",
            server_url=server.url,
            retry_config=RetryConfig("none"),
            sleep=FakeClock().sleep,
        )
        try:
            if mode == "async":
                result: Any = asyncio.run(_get_async(client))
            else:
                with client:
                    result = client.tracking_status.get("1", "usps")
        except errors.ShippoError as exc:
            result = exc
    return result, server


async def _get_async(client: Shippo) -> Any:
    async with client:
        return await client.tracking_status.get_async("1", "usps")


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    # A small maximum keeps the bodies of these tests small.
    monkeypatch.setattr(_transport, "MAX_RESPONSE_BYTES", 1_000)
    return 1_000


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_gzip_bomb_is_cut_at_the_maximum(mode: str) -> None:
    body = gzip.compress(b" " * (_transport.MAX_RESPONSE_BYTES + 1))
    headers = {"Content-Encoding": "gzip", **JSON}
    error, _ = call(Exchange(200, headers, body), mode)
    assert type(error) is errors.ResponseValidationError
    assert "larger than the client's maximum of 16,777,216 bytes" in str(error)
    assert len(error.raw_response.content) == _transport.MAX_RESPONSE_BYTES
    assert len(error.body) == _transport.MAX_RESPONSE_BYTES


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("encoding", ["identity", "gzip", "deflate"])
def test_body_at_the_maximum_is_read(
    small_limit: int, encoding: str, mode: str
) -> None:
    padded = _track_of_size(small_limit)
    headers = {"Content-Encoding": encoding, **JSON}
    track, _ = call(Exchange(200, headers, _encode(padded, encoding)), mode)
    assert track.tracking_number == "1"


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("encoding", ["identity", "gzip", "deflate"])
@pytest.mark.parametrize("chunked", [False, True])
def test_success_body_over_the_maximum_is_rejected(
    small_limit: int, encoding: str, chunked: bool, mode: str
) -> None:
    body = _track_of_size(small_limit + 1)
    headers = {"Content-Encoding": encoding, **JSON}
    payload = _encode(body, encoding)
    if chunked:
        headers["Transfer-Encoding"] = "chunked"
        headers["Content-Length"] = ""
        payload = _chunked(payload)
    error, _ = call(Exchange(200, _without_empty(headers), payload), mode)
    assert type(error) is errors.ResponseValidationError
    assert "larger than the client's maximum of 1,000 bytes" in error.message
    assert error.raw_response.content == body[:small_limit]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_error_body_over_the_maximum_is_truncated(small_limit: int, mode: str) -> None:
    body = b"<html>" + b"x" * 5_000 + b"</html>"
    error, _ = call(Exchange(502, {"Content-Type": "text/html"}, body), mode)
    assert type(error) is errors.ServerError
    assert error.body == body[:small_limit].decode()
    assert error.data is None


def _track_of_size(size: int) -> bytes:
    """Return a valid Track body of exactly `size` bytes."""
    head = TRACK_BYTES[:-1] + b', "x": "'
    body = head + b"a" * (size - len(head) - 2) + b'"}'
    assert len(body) == size
    return body


def _encode(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    return body


def _chunked(payload: bytes) -> bytes:
    chunks = [payload[i : i + 300] for i in range(0, len(payload), 300)]
    framed = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks)
    return framed + b"0\r\n\r\n"


def _without_empty(headers: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in headers.items() if value}
