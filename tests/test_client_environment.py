"""The client in its surroundings: proxy variables, threads and event loops."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any

import httpx
import pytest

from casereplay import Exchange, ReplayServer
from shippo_client import RetryConfig, Shippo
from shippo_client.models import Track

KEY = "shippo_test_0123456789abcdef0123456789abcdef01234567"

TRACK_BODY: dict[str, Any] = {
    "carrier": "shippo",
    "tracking_number": "SHIPPO_TRANSIT",
    "tracking_history": [],
}

JSON = {"Content-Type": "application/json"}

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")

# How long a thread waits in httpx.Client.__init__ for a second thread to
# enter it too. When only one thread creates a client, it waits this long.
_RACE_WAIT_S = 0.5


@pytest.fixture(autouse=True)
def _clean_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    # urllib ignores HTTP_PROXY when REQUEST_METHOD is set (CGI).
    monkeypatch.delenv("REQUEST_METHOD", raising=False)


def _always_track() -> list[Exchange]:
    return [Exchange(200, JSON, TRACK_BODY, repeat="always")]


def _get(url: str) -> Track:
    retries = RetryConfig("none")
    with Shippo(KEY, server_url=url, retry_config=retries) as sdk:
        return sdk.tracking_status.get("SHIPPO_TRANSIT", "shippo")


async def _get_async(url: str) -> Track:
    retries = RetryConfig("none")
    async with Shippo(KEY, server_url=url, retry_config=retries) as sdk:
        return await sdk.tracking_status.get_async("SHIPPO_TRANSIT", "shippo")


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_proxy_variable_reaches_proxy(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        ReplayServer(_always_track()) as origin,
        ReplayServer(_always_track()) as proxy,
    ):
        monkeypatch.setenv(variable, proxy.url)
        _get(origin.url)

    assert len(proxy.requests) == 1, f"{variable} was ignored"
    assert origin.requests == []


def test_async_proxy_variable_reaches_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    with (
        ReplayServer(_always_track()) as origin,
        ReplayServer(_always_track()) as proxy,
    ):
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        asyncio.run(_get_async(origin.url))

    assert len(proxy.requests) == 1, "HTTP_PROXY was ignored"
    assert origin.requests == []


def test_no_proxy_bypasses_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    with (
        ReplayServer(_always_track()) as origin,
        ReplayServer(_always_track()) as proxy,
    ):
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        _get(origin.url)

    assert proxy.requests == []
    assert len(origin.requests) == 1


def test_threads_create_one_http_client(monkeypatch: pytest.MonkeyPatch) -> None:
    created: list[httpx.Client] = []
    both_inside = threading.Barrier(2)
    original_init = httpx.Client.__init__

    def init(client: httpx.Client, *args: Any, **kwargs: Any) -> None:
        original_init(client, *args, **kwargs)
        created.append(client)
        # Holds the first thread until the second thread has also started
        # a client, so that both pass the "no client yet" check.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_inside.wait(timeout=_RACE_WAIT_S)

    monkeypatch.setattr(httpx.Client, "__init__", init)
    results: list[str] = []

    with ReplayServer(_always_track()) as server:
        sdk = Shippo(KEY, server_url=server.url, retry_config=RetryConfig("none"))

        def call() -> None:
            track = sdk.tracking_status.get("SHIPPO_TRANSIT", "shippo")
            results.append(track.tracking_number)

        threads = [threading.Thread(target=call) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sdk.close()

    assert results == ["SHIPPO_TRANSIT", "SHIPPO_TRANSIT"]
    assert len(created) == 1, "two threads each created an httpx.Client"
    assert all(client.is_closed for client in created), "close() left a client open"


def test_async_client_reused_across_event_loops() -> None:
    # Each asyncio.run closes its loop, and the pooled connections of the
    # first run belong to it, so the second run needs a new client.
    with ReplayServer(_always_track()) as server:
        sdk = Shippo(KEY, server_url=server.url, retry_config=RetryConfig("none"))

        async def call() -> str:
            track = await sdk.tracking_status.get_async("SHIPPO_TRANSIT", "shippo")
            return track.tracking_number

        first = asyncio.run(call())
        second = asyncio.run(call())
        sdk.close()

    assert first == "SHIPPO_TRANSIT"
    assert second == "SHIPPO_TRANSIT"
