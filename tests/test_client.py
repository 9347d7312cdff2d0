"""The Shippo client: settings, the documented calls and what goes on the wire."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import shippo_client
from shippo_client import Shippo, errors
from shippo_client.models import Track, TracksRequest

KEY = "shippo_test_0123456789abcdef0123456789abcdef01234567"

TRACK_BODY: dict[str, Any] = {
    "carrier": "shippo",
    "tracking_number": "SHIPPO_TRANSIT",
    "messages": [],
    "tracking_status": {
        "object_id": "a" * 32,
        "object_created": "2024-05-24T11:13:09Z",
        "status": "TRANSIT",
        "status_details": "Your shipment has departed from the origin.",
        "status_date": "2024-05-23T09:00:00Z",
    },
    "tracking_history": [],
    "test": True,
}

Handler = Callable[[httpx.Request], httpx.Response]


def _recorder(
    status: int = 200, body: Any = TRACK_BODY
) -> tuple[Handler, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=body)

    return handler, seen


def _client(handler: Handler, **settings: Any) -> Shippo:
    transport = httpx.MockTransport(handler)
    http = httpx.Client(base_url="http://127.0.0.1:9", transport=transport)
    return Shippo(KEY, server_url="http://127.0.0.1:9", client=http, **settings)


def test_public_names() -> None:
    assert shippo_client.__all__ == [
        "BackoffStrategy",
        "RetryConfig",
        "Shippo",
        "__version__",
        "errors",
        "models",
        "utils",
    ]
    assert sorted(shippo_client.models.components.__all__) == sorted(
        [
            "UNSET",
            "ServiceLevel",
            "ServiceLevelWithParent",
            "Track",
            "TrackingStatus",
            "TrackingStatusEnum",
            "TrackingStatusLocationBase",
            "TrackingStatusSubstatus",
            "TrackingSubstatusCodeEnum",
            "TracksRequest",
            "Unset",
            "WebhookEventTypeEnum",
            "WebhookPayloadTrack",
        ]
    )


def test_get_sends_documented_request() -> None:
    handler, seen = _recorder()
    with _client(handler) as client:
        track = client.tracking_status.get(
            tracking_number="SHIPPO_TRANSIT", carrier="shippo"
        )

    assert isinstance(track, Track)
    assert len(seen) == 1
    assert seen[0].method == "GET"
    assert seen[0].url.raw_path == b"/tracks/shippo/SHIPPO_TRANSIT"
    assert seen[0].headers["authorization"] == f"ShippoToken {KEY}"
    assert seen[0].headers["accept"] == "application/json"
    assert "shippo-api-version" not in seen[0].headers


def test_api_version_header_sent() -> None:
    handler, seen = _recorder()
    with _client(handler, shippo_api_version="2018-02-08") as client:
        client.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    assert seen[0].headers["shippo-api-version"] == "2018-02-08"


@pytest.mark.parametrize(
    "request_body",
    [
        {
            "carrier": "shippo",
            "tracking_number": "SHIPPO_TRANSIT",
            "metadata": "Order 1",
        },
        TracksRequest(
            carrier="shippo", tracking_number="SHIPPO_TRANSIT", metadata="Order 1"
        ),
    ],
)
def test_create_posts_json(request_body: Any) -> None:
    handler, seen = _recorder(status=201)
    with _client(handler) as client:
        track = client.tracking_status.create(request=request_body)

    assert track.tracking_number == "SHIPPO_TRANSIT"
    assert seen[0].method == "POST"
    assert seen[0].url.path == "/tracks/"
    assert seen[0].headers["content-type"] == "application/json"
    assert json.loads(seen[0].content) == {
        "carrier": "shippo",
        "tracking_number": "SHIPPO_TRANSIT",
        "metadata": "Order 1",
    }


def test_create_without_metadata_omits_it() -> None:
    handler, seen = _recorder()
    with _client(handler) as client:
        client.tracking_status.create(
            request={
                "carrier": "shippo",
                "tracking_number": "SHIPPO_TRANSIT",
                "metadata": None,
            }
        )

    assert json.loads(seen[0].content) == {
        "carrier": "shippo",
        "tracking_number": "SHIPPO_TRANSIT",
    }


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"carrier": "shippo"}, "missing tracking_number"),
        ({"carrier": "", "tracking_number": "X"}, "carrier must not be empty"),
        ({"carrier": 5, "tracking_number": "X"}, "carrier must be a string"),
        (
            {"carrier": "a", "tracking_number": "X", "metadata": "m" * 101},
            "at most 100",
        ),
        (
            {"carrier": "a", "tracking_number": "X", "meta": "typo"},
            "unknown field(s) meta",
        ),
        ("shippo SHIPPO_TRANSIT", "must be a TracksRequest or a dict"),
    ],
)
def test_create_rejects_invalid_request(request_body: Any, message: str) -> None:
    handler, seen = _recorder()
    with (
        _client(handler) as client,
        pytest.raises(errors.RequestValidationError) as info,
    ):
        client.tracking_status.create(request=request_body)

    assert message in str(info.value)
    assert seen == []


@pytest.mark.parametrize(
    ("number", "carrier"), [("", "usps"), ("   ", "usps"), ("X", ""), (None, "usps")]
)
def test_get_rejects_empty_arguments(number: Any, carrier: Any) -> None:
    handler, seen = _recorder()
    with _client(handler) as client, pytest.raises(errors.RequestValidationError):
        client.tracking_status.get(tracking_number=number, carrier=carrier)

    assert seen == []


@pytest.mark.parametrize(
    "given",
    [KEY, f"ShippoToken {KEY}", f"  ShippoToken   {KEY}  "],
)
def test_key_forms_give_one_header(given: str) -> None:
    handler, seen = _recorder()
    transport = httpx.MockTransport(handler)
    http = httpx.Client(base_url="http://127.0.0.1:9", transport=transport)
    with Shippo(given, client=http, server_url="http://127.0.0.1:9") as client:
        client.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    assert seen[0].headers["authorization"] == f"ShippoToken {KEY}"


def test_oauth_token_uses_bearer() -> None:
    handler, seen = _recorder()
    transport = httpx.MockTransport(handler)
    http = httpx.Client(base_url="http://127.0.0.1:9", transport=transport)
    with Shippo("oauth.abc123", client=http, server_url="http://127.0.0.1:9") as client:
        client.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    assert seen[0].headers["authorization"] == "Bearer oauth.abc123"


def test_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHIPPO_API_KEY", KEY)

    client = Shippo()

    assert client.auth_header == f"ShippoToken {KEY}"


def test_missing_key_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHIPPO_API_KEY", raising=False)

    with pytest.raises(errors.ConfigurationError, match="missing API key"):
        Shippo()


@pytest.mark.parametrize(
    "bad", [f"{KEY}\r\nX-Injected: 1", f"{KEY}\x00", "shippo_test_a b", "shippo_test_é"]
)
def test_bad_key_rejected_without_echo(bad: str) -> None:
    with pytest.raises(errors.ConfigurationError) as info:
        Shippo(bad)

    assert "0123456789abcdef" not in str(info.value)
    assert "shippo_test_" not in str(info.value)


def test_repr_masks_key() -> None:
    client = Shippo(KEY, server_url="http://127.0.0.1:9")

    assert "0123456789abcdef" not in repr(client)
    assert "shippo_test_****" in repr(client)


def test_server_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHIPPO_SERVER_URL", "http://127.0.0.1:8765/")

    client = Shippo(KEY)

    assert client.server_url == "http://127.0.0.1:8765"
    assert str(client.http.base_url) == "http://127.0.0.1:8765"


@pytest.mark.parametrize("url", ["ftp://example.test", "127.0.0.1:80", "http://"])
def test_invalid_server_url_rejected(url: str) -> None:
    with pytest.raises(errors.ConfigurationError, match="invalid server_url"):
        Shippo(KEY, server_url=url)


@pytest.mark.parametrize("timeout_ms", [0, -5, float("nan"), None, "30", True])
def test_invalid_timeout_rejected(timeout_ms: Any) -> None:
    with pytest.raises(errors.ConfigurationError, match="timeout_ms"):
        Shippo(KEY, timeout_ms=timeout_ms)


def test_default_timeout_is_finite() -> None:
    client = Shippo(KEY)

    assert client.http.timeout.read == 30.0
    assert client.http.timeout.connect == 30.0


def test_per_call_timeout_reaches_transport() -> None:
    handler, seen = _recorder()
    with _client(handler, timeout_ms=10_000) as client:
        client.tracking_status.get("SHIPPO_TRANSIT", "shippo", timeout_ms=1_500)
        client.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    assert seen[0].extensions["timeout"]["read"] == 1.5
    assert seen[1].extensions["timeout"]["read"] == 10.0


def test_invalid_api_version_rejected() -> None:
    with pytest.raises(errors.ConfigurationError, match="shippo_api_version"):
        Shippo(KEY, shippo_api_version="2018-02-08\r\nX: y")


def test_context_manager_closes_own_client() -> None:
    client = Shippo(KEY, server_url="http://127.0.0.1:9")
    http = client.http

    with client:
        pass

    assert http.is_closed


def test_context_manager_leaves_callers_client_open() -> None:
    http = httpx.Client()
    with Shippo(KEY, client=http):
        pass

    assert not http.is_closed
    http.close()


def test_async_twins() -> None:
    handler, seen = _recorder(status=201)

    async def run() -> tuple[Track, Track]:
        transport = httpx.MockTransport(handler)
        http = httpx.AsyncClient(base_url="http://127.0.0.1:9", transport=transport)
        async with Shippo(KEY, async_client=http, server_url="http://127.0.0.1:9") as c:
            got = await c.tracking_status.get_async("SHIPPO_TRANSIT", "shippo")
            created = await c.tracking_status.create_async(
                request={"carrier": "shippo", "tracking_number": "SHIPPO_TRANSIT"}
            )
        await http.aclose()
        return got, created

    got, created = asyncio.run(run())

    assert got.tracking_status.status == "TRANSIT"
    assert created.carrier == "shippo"
    assert [r.method for r in seen] == ["GET", "POST"]


@pytest.mark.parametrize(
    ("number", "carrier", "message"),
    [
        ("..", "usps", "not a path segment"),
        ("SHIPPO_TRANSIT", ".", "not a path segment"),
        ("A\nB", "usps", "control or invisible characters"),
        ("A\x00B", "usps", "control or invisible characters"),
        ("\ud800", "usps", "not valid Unicode"),
        ("9" * 256, "usps", "the maximum is 255"),
        ("X", "u" * 101, "the maximum is 100"),
    ],
)
def test_get_rejects_unusable_path_values(
    number: str, carrier: str, message: str
) -> None:
    handler, seen = _recorder()
    with (
        _client(handler) as client,
        pytest.raises(errors.RequestValidationError) as info,
    ):
        client.tracking_status.get(tracking_number=number, carrier=carrier)

    assert message in str(info.value)
    assert seen == []


def test_create_rejects_unencodable_metadata() -> None:
    handler, seen = _recorder()
    body = {
        "carrier": "shippo",
        "tracking_number": "SHIPPO_TRANSIT",
        "metadata": "\ud800",
    }
    with _client(handler) as client, pytest.raises(errors.RequestValidationError):
        client.tracking_status.create(request=body)

    assert seen == []


def test_callers_client_without_base_url_uses_server_url() -> None:
    handler, seen = _recorder()
    http = httpx.Client(
        transport=httpx.MockTransport(handler), headers={"X-Team": "ops"}
    )
    with Shippo(KEY, server_url="http://127.0.0.1:9/prefix", client=http) as client:
        client.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    assert str(seen[0].url) == "http://127.0.0.1:9/prefix/tracks/shippo/SHIPPO_TRANSIT"
    assert seen[0].headers["x-team"] == "ops"
    assert seen[0].headers["authorization"] == f"ShippoToken {KEY}"
    http.close()


def test_own_client_sends_its_default_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=TRACK_BODY)

    monkeypatch.setattr(httpx, "HTTPTransport", lambda: httpx.MockTransport(handler))
    client = Shippo(KEY, server_url="http://127.0.0.1:9")
    with client:
        client.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    headers = seen[0].headers
    assert headers["user-agent"].startswith("shippo-client-python/")
    assert headers["accept"] == "application/json"
    assert "gzip" in headers["accept-encoding"]
    assert headers["host"] == "127.0.0.1:9"
    assert len(headers.get_list("authorization")) == 1


def test_default_async_sleep_uses_asyncio() -> None:
    sdk = Shippo(KEY, server_url="http://127.0.0.1:9")

    async def run() -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        await sdk.async_sleep(0.01)
        return loop.time() - started

    assert asyncio.run(run()) >= 0.009
