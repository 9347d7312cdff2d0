"""Invalid client settings raise ConfigurationError before any request."""

from __future__ import annotations

from typing import Any

import pytest

from casereplay import Exchange, ReplayServer
from shippo_client import Shippo, errors

KEY = "shippo_test_x"
TRACK = {"carrier": "usps", "tracking_number": "1", "tracking_history": []}


@pytest.mark.parametrize(
    "timeout_ms",
    [1e308, 10**400, 86_400_001, float("inf"), float("nan"), 0, -1, None, "5", True],
)
def test_invalid_timeouts_are_rejected(timeout_ms: Any) -> None:
    with pytest.raises(errors.ConfigurationError, match="timeout_ms"):
        Shippo(KEY, timeout_ms=timeout_ms)


def test_invalid_per_call_timeout_sends_nothing() -> None:
    with ReplayServer([Exchange(200, body=TRACK)]) as server:
        client = Shippo(KEY, server_url=server.url)
        with client, pytest.raises(errors.ConfigurationError, match="timeout_ms"):
            client.tracking_status.get("1", "usps", timeout_ms=1e308)
    assert server.requests == []


def test_one_day_timeout_is_accepted() -> None:
    assert Shippo(KEY, timeout_ms=86_400_000).timeout.read == 86_400


@pytest.mark.parametrize(
    ("version", "fragment"),
    [
        ("2018\u00e9", "printable ASCII"),
        ("a\x7fb", "printable ASCII"),
        ("2018-02-08\r\nX-Evil: 1", "printable ASCII"),
        ("2018 02 08", "printable ASCII"),
        ("", "printable ASCII"),
        (5, "must be a str"),
        (b"2018-02-08", "must be a str"),
    ],
)
def test_invalid_api_versions_are_rejected(version: Any, fragment: str) -> None:
    with pytest.raises(errors.ConfigurationError, match=fragment):
        Shippo(KEY, shippo_api_version=version)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        (5, "must be a str"),
        (b"http://127.0.0.1", "must be a str"),
        ("ftp://127.0.0.1", "expected http"),
        ("http://127.0.0.1/v1?x=1", "query or fragment"),
        ("http://127.0.0.1/v1#top", "query or fragment"),
        ("http://127.0.0.1?", "query or fragment"),
    ],
)
def test_invalid_server_urls_are_rejected(url: Any, fragment: str) -> None:
    with pytest.raises(errors.ConfigurationError, match=fragment):
        Shippo(KEY, server_url=url)


def test_server_url_path_prefix_is_kept() -> None:
    with (
        ReplayServer([Exchange(200, body=TRACK)]) as server,
        Shippo(KEY, server_url=f"{server.url}/v1/") as client,
    ):
        client.tracking_status.get("1", "usps")
    assert [request.target for request in server.requests] == ["/v1/tracks/usps/1"]
