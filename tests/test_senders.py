"""Which path a request takes: the client's own transport or httpx.Client.send."""

from __future__ import annotations

import asyncio
import datetime
import socket
from typing import Any

import httpx
import pytest

from casereplay import Exchange, ReplayServer
from shippo_client import RetryConfig, Shippo, errors
from shippo_client._senders import SyncSender

KEY = "shippo_test_0123456789abcdef0123456789abcdef01234567"
URL = "http://127.0.0.1:9"

TRACK_BODY: dict[str, Any] = {
    "carrier": "shippo",
    "tracking_number": "SHIPPO_TRANSIT",
    "tracking_history": [],
}

JSON = {"Content-Type": "application/json"}

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


class _Spy:
    """A counter of httpx.Client.send and AsyncClient.send calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        sync_send = httpx.Client.send
        async_send = httpx.AsyncClient.send

        def send(client: httpx.Client, *args: Any, **kwargs: Any) -> httpx.Response:
            self.calls += 1
            return sync_send(client, *args, **kwargs)

        async def asend(
            client: httpx.AsyncClient, *args: Any, **kwargs: Any
        ) -> httpx.Response:
            self.calls += 1
            return await async_send(client, *args, **kwargs)

        monkeypatch.setattr(httpx.Client, "send", send)
        monkeypatch.setattr(httpx.AsyncClient, "send", asend)


def _mock_transports(monkeypatch: pytest.MonkeyPatch, status: int = 200) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=TRACK_BODY)

    monkeypatch.setattr(httpx, "HTTPTransport", lambda: httpx.MockTransport(handler))
    monkeypatch.setattr(
        httpx, "AsyncHTTPTransport", lambda: httpx.MockTransport(handler)
    )


def test_own_client_skips_client_send(monkeypatch: pytest.MonkeyPatch) -> None:
    _mock_transports(monkeypatch)
    spy = _Spy(monkeypatch)

    with Shippo(KEY, server_url=URL) as sdk:
        track = sdk.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    assert track.tracking_number == "SHIPPO_TRANSIT"
    assert spy.calls == 0


def test_own_async_client_skips_client_send(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _mock_transports(monkeypatch)
    spy = _Spy(monkeypatch)

    async def run() -> str:
        async with Shippo(KEY, server_url=URL) as sdk:
            track = await sdk.tracking_status.get_async("SHIPPO_TRANSIT", "shippo")
        return track.tracking_number

    assert asyncio.run(run()) == "SHIPPO_TRANSIT"
    assert spy.calls == 0


def test_caller_client_keeps_its_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=TRACK_BODY)

    def hook(request: httpx.Request) -> None:
        seen.append(request.url.path)

    http = httpx.Client(
        transport=httpx.MockTransport(handler), event_hooks={"request": [hook]}
    )
    spy = _Spy(monkeypatch)

    with http, Shippo(KEY, server_url=URL, client=http) as sdk:
        sdk.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    assert seen == ["/tracks/shippo/SHIPPO_TRANSIT"]
    assert spy.calls == 1


def _request() -> httpx.Request:
    # A request that the spec accepts, because the wire check of
    # tests/conftest.py records every request that passes through a sender.
    headers = {"Authorization": f"ShippoToken {KEY}"}
    return httpx.Request("GET", f"{URL}/tracks/shippo/SHIPPO_TRANSIT", headers=headers)


def test_direct_response_has_elapsed() -> None:
    script = [Exchange(404, JSON, {"detail": "Not found."})]
    with ReplayServer(script) as server:
        sdk = Shippo(KEY, server_url=server.url, retry_config=RetryConfig("none"))
        with sdk, pytest.raises(errors.NotFoundError) as caught:
            sdk.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    response = caught.value.raw_response
    assert response.request.url.path == "/tracks/shippo/SHIPPO_TRANSIT"
    assert response.elapsed > datetime.timedelta(0)


def test_direct_async_response_has_elapsed() -> None:
    script = [Exchange(404, JSON, {"detail": "Not found."})]

    async def run(url: str) -> errors.NotFoundError:
        sdk = Shippo(KEY, server_url=url, retry_config=RetryConfig("none"))
        async with sdk:
            with pytest.raises(errors.NotFoundError) as caught:
                await sdk.tracking_status.get_async("SHIPPO_TRANSIT", "shippo")
        return caught.value

    with ReplayServer(script) as server:
        error = asyncio.run(run(server.url))

    assert error.raw_response.elapsed > datetime.timedelta(0)


def test_direct_error_carries_request() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    transport = httpx.MockTransport(handler)
    client = httpx.Client(transport=transport)
    request = _request()

    with pytest.raises(httpx.ConnectError) as caught:
        SyncSender(client, transport)(request)

    assert caught.value.request is request


def test_direct_send_on_closed_client_fails() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    client = httpx.Client(transport=transport)
    client.close()

    with pytest.raises(RuntimeError, match="client has been closed"):
        SyncSender(client, transport)(_request())


def test_refused_connection_still_typed() -> None:
    # A port that was just free, so the direct path meets a real connection
    # error from httpcore.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    sdk = Shippo(KEY, server_url=url, retry_config=RetryConfig("none"))
    with sdk, pytest.raises(errors.APIConnectionError) as caught:
        sdk.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    assert caught.value.attempts == 1
