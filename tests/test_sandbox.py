"""The sandbox's test-mode responses, checked with the real client and raw httpx."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from shippo_client import RetryConfig, Shippo, errors
from shippo_client.models import TrackingStatus
from shippo_client.sandbox import TEST_NUMBERS, Sandbox

KEY = "shippo_test_sandbox0123456789"
AUTH = {"Authorization": f"ShippoToken {KEY}"}

# 2026-01-15T12:00:00Z, so that dates in bodies can be checked exactly.
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)

EXPECTED = {
    "SHIPPO_PRE_TRANSIT": ["PRE_TRANSIT"],
    "SHIPPO_UNKNOWN": ["UNKNOWN"],
    "SHIPPO_TRANSIT": ["UNKNOWN", "TRANSIT"],
    "SHIPPO_FAILURE": ["UNKNOWN", "TRANSIT", "FAILURE"],
    "SHIPPO_DELIVERED": ["UNKNOWN", "TRANSIT", "FAILURE", "DELIVERED"],
    "SHIPPO_RETURNED": ["UNKNOWN", "TRANSIT", "FAILURE", "DELIVERED", "RETURNED"],
}

SUBSTATUS_CODES = {
    "PRE_TRANSIT": {"information_received"},
    "UNKNOWN": {"other"},
    "TRANSIT": {"package_departed", "package_accepted", "package_arrived"},
    "FAILURE": {"package_undeliverable", "package_disposed", "package_lost"},
    "DELIVERED": {"delivered"},
    "RETURNED": {"return_to_sender", "package_unclaimed"},
}

RFC3339_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
TRACK_FIELDS = {
    "carrier",
    "tracking_number",
    "address_from",
    "address_to",
    "eta",
    "original_eta",
    "messages",
    "metadata",
    "servicelevel",
    "tracking_status",
    "tracking_history",
    "transaction",
    "test",
}


# Read-only tests share one sandbox; tests that register shipments or count
# requests use a fresh one.
@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(clock=NOW.timestamp) as running:
        yield running


@pytest.fixture(scope="module")
def http(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, headers=AUTH) as client:
        yield client


@pytest.fixture
def fresh() -> Iterator[Sandbox]:
    with Sandbox(clock=NOW.timestamp) as running:
        yield running


@pytest.fixture
def fresh_http(fresh: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh.url, headers=AUTH) as client:
        yield client


@pytest.fixture(scope="module")
def shippo(sandbox: Sandbox) -> Iterator[Shippo]:
    no_retries = RetryConfig("none")
    with Shippo(
        api_key_header="shippo_test_x", server_url=sandbox.url, retry_config=no_retries
    ) as client:
        yield client


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_sandbox_url_is_loopback(sandbox: Sandbox) -> None:
    assert sandbox.url.startswith("http://127.0.0.1:")
    assert sandbox.port > 0


@pytest.mark.parametrize("number", sorted(TEST_NUMBERS))
def test_client_parses_each_test_number(shippo: Shippo, number: str) -> None:
    track = shippo.tracking_status.get(tracking_number=number, carrier="shippo")

    statuses = [event.status for event in track.tracking_history]
    assert statuses == EXPECTED[number]
    assert isinstance(track.tracking_status, TrackingStatus)
    assert track.tracking_status.status == EXPECTED[number][-1]
    assert track.carrier == "shippo"
    assert track.tracking_number == number
    assert track.test is True


@pytest.mark.parametrize("number", sorted(TEST_NUMBERS))
def test_track_body_shape(http: httpx.Client, number: str) -> None:
    response = http.get(f"/tracks/shippo/{number}")
    body = response.json()

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert set(body) == TRACK_FIELDS
    assert body["messages"] == []
    assert body["transaction"] is None
    assert body["test"] is True
    assert body["metadata"] == "Shippo test tracking"
    assert body["servicelevel"]["token"] == "shippo_priority"
    assert body["servicelevel"]["name"] == "Priority Mail"
    assert body["address_from"] == {
        "city": "San Francisco",
        "state": "CA",
        "zip": "94103",
        "country": "US",
    }
    assert body["address_to"] == {
        "city": "Chicago",
        "state": "IL",
        "zip": "60611",
        "country": "US",
    }
    assert body["tracking_status"] == body["tracking_history"][-1]


@pytest.mark.parametrize("number", sorted(TEST_NUMBERS))
def test_events_have_ids_dates_substatus(http: httpx.Client, number: str) -> None:
    history = http.get(f"/tracks/shippo/{number}").json()["tracking_history"]

    for event in history:
        assert re.fullmatch(r"[0-9a-f]{32}", event["object_id"])
        assert RFC3339_Z.match(event["status_date"])
        assert RFC3339_Z.match(event["object_created"])
        assert event["object_updated"] is None
        assert event["substatus"]["code"] in SUBSTATUS_CODES[event["status"]]
        assert isinstance(event["substatus"]["action_required"], bool)

    dates = [_parse(event["status_date"]) for event in history]
    assert dates == sorted(dates)
    assert dates[-1] < NOW


def test_dates_follow_injected_clock(http: httpx.Client) -> None:
    body = http.get("/tracks/shippo/SHIPPO_TRANSIT").json()
    history = body["tracking_history"]

    assert body["eta"] == "2026-01-18T12:00:00.000Z"
    assert body["original_eta"] == body["eta"]
    assert _parse(history[0]["status_date"]) == NOW - timedelta(hours=52)
    assert _parse(history[1]["status_date"]) == NOW - timedelta(hours=26)


def test_event_ids_stable_across_requests(http: httpx.Client) -> None:
    first = http.get("/tracks/shippo/SHIPPO_RETURNED").json()["tracking_history"]
    second = http.get("/tracks/shippo/SHIPPO_RETURNED").json()["tracking_history"]

    first_ids = [event["object_id"] for event in first]
    assert first_ids == [event["object_id"] for event in second]
    assert len(set(first_ids)) == len(first_ids)


def test_real_carrier_rejected(shippo: Shippo) -> None:
    with pytest.raises(errors.BadRequestError) as caught:
        shippo.tracking_status.get(
            tracking_number="9205590164917312751089", carrier="usps"
        )

    expected = "usps is not a valid test tracking carrier. Please use 'shippo'"
    assert caught.value.detail == expected
    assert caught.value.status_code == 400


def test_unknown_test_number_rejected(http: httpx.Client) -> None:
    response = http.get("/tracks/shippo/9205590164917312751089")

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail.startswith(
        "9205590164917312751089 is not a valid test tracking number."
    )


def test_percent_encoded_number_decoded(http: httpx.Client) -> None:
    response = http.get("/tracks/shippo/SHIPPO%5FTRANSIT")

    assert response.status_code == 200
    assert response.json()["tracking_number"] == "SHIPPO_TRANSIT"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "ShippoToken",
        "Token shippo_test_x",
        "Bearer shippo_test_x",
        "shippo_test_x",
        "ShippoToken two words",
    ],
)
def test_bad_auth_gets_401(sandbox: Sandbox, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = httpx.get(f"{sandbox.url}/tracks/shippo/SHIPPO_TRANSIT", headers=headers)

    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_401_never_echoes_token(sandbox: Sandbox) -> None:
    headers = {"Authorization": "ShippoToken secret value"}
    response = httpx.get(f"{sandbox.url}/tracks/shippo/SHIPPO_TRANSIT", headers=headers)

    assert response.status_code == 401
    assert "secret" not in response.text
    assert "secret" not in str(response.headers)


def test_client_raises_authentication_error() -> None:
    with (
        Sandbox(api_key="shippo_test_right") as sandbox,
        Shippo(api_key_header="shippo_test_wrong", server_url=sandbox.url) as client,
        pytest.raises(errors.AuthenticationError),
    ):
        client.tracking_status.get(tracking_number="SHIPPO_TRANSIT", carrier="shippo")


def test_configured_api_key_accepted() -> None:
    with (
        Sandbox(api_key="shippo_test_right") as sandbox,
        Shippo(api_key_header="shippo_test_right", server_url=sandbox.url) as client,
    ):
        track = client.tracking_status.get(
            tracking_number="SHIPPO_DELIVERED", carrier="shippo"
        )
    assert isinstance(track.tracking_status, TrackingStatus)
    assert track.tracking_status.status == "DELIVERED"


def test_create_returns_201_and_track(fresh: Sandbox) -> None:
    request = {"carrier": "shippo", "tracking_number": "SHIPPO_PRE_TRANSIT"}
    response = httpx.post(
        f"{fresh.url}/tracks/",
        json={**request, "metadata": "Order 000123"},
        headers=AUTH,
    )

    assert response.status_code == 201
    assert response.json()["metadata"] == "Order 000123"

    with Shippo(api_key_header="shippo_test_x", server_url=fresh.url) as shippo:
        track = shippo.tracking_status.create(request=request)
    assert track.metadata == "Order 000123"
    assert isinstance(track.tracking_status, TrackingStatus)
    assert track.tracking_status.status == "PRE_TRANSIT"


def test_registered_metadata_on_get(fresh_http: httpx.Client) -> None:
    form = {"carrier": "shippo", "tracking_number": "SHIPPO_FAILURE", "metadata": "A1"}
    fresh_http.post("/tracks", data=form)

    registered = fresh_http.get("/tracks/shippo/SHIPPO_FAILURE").json()
    other = fresh_http.get("/tracks/shippo/SHIPPO_UNKNOWN").json()
    assert registered["metadata"] == "A1"
    assert other["metadata"] == "Shippo test tracking"


@pytest.mark.parametrize("path", ["/tracks", "/tracks/"])
def test_create_accepts_form_body(http: httpx.Client, path: str) -> None:
    form = {"carrier": "shippo", "tracking_number": "SHIPPO_DELIVERED"}
    response = http.post(path, data=form)

    assert response.status_code == 201
    assert response.json()["tracking_status"]["status"] == "DELIVERED"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({}, {"carrier", "tracking_number"}),
        ({"carrier": "shippo"}, {"tracking_number"}),
        ({"carrier": "", "tracking_number": "SHIPPO_TRANSIT"}, {"carrier"}),
        ({"carrier": "shippo", "tracking_number": 5}, {"tracking_number"}),
        ({"carrier": None, "tracking_number": "SHIPPO_TRANSIT"}, {"carrier"}),
        (
            {
                "carrier": "shippo",
                "tracking_number": "SHIPPO_TRANSIT",
                "metadata": "x" * 101,
            },
            {"metadata"},
        ),
    ],
)
def test_create_validation_errors(
    http: httpx.Client, payload: dict[str, Any], expected: set[str]
) -> None:
    response = http.post("/tracks/", json=payload)
    body = response.json()

    assert response.status_code == 400
    assert set(body) == expected
    for messages in body.values():
        assert isinstance(messages, list)
        assert all(isinstance(message, str) for message in messages)


def test_create_missing_field_message(http: httpx.Client) -> None:
    response = http.post("/tracks/", json={"carrier": "shippo"})

    assert response.json() == {"tracking_number": ["This field is required."]}


def test_create_real_carrier_rejected(http: httpx.Client) -> None:
    response = http.post("/tracks/", json={"carrier": "usps", "tracking_number": "1"})

    assert response.status_code == 400
    assert response.json()["detail"].startswith("usps is not a valid test")


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"carrier": "shippo", "metadata": ' + b"1" * 5000 + b"}",
        b'{"carrier": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"\xff\xfe{}",
    ],
    ids=["syntax", "5000-digit integer", "deep nesting", "not UTF-8"],
)
def test_create_rejects_bad_json(http: httpx.Client, body: bytes) -> None:
    headers = {"Content-Type": "application/json"}
    response = http.post("/tracks/", content=body, headers=headers)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")


def test_create_rejects_unknown_media_type(http: httpx.Client) -> None:
    headers = {"Content-Type": "text/plain"}
    response = http.post("/tracks/", content=b"carrier=shippo", headers=headers)

    assert response.status_code == 415


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("POST", "/tracks/shippo/SHIPPO_TRANSIT", "GET"),
        ("DELETE", "/tracks/shippo/SHIPPO_TRANSIT", "GET"),
        ("GET", "/tracks/", "POST"),
        ("PUT", "/tracks", "POST"),
    ],
)
def test_wrong_method_gets_405(
    http: httpx.Client, method: str, path: str, allow: str
) -> None:
    response = http.request(method, path, content=b"{}")

    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert "detail" in response.json()


@pytest.mark.parametrize("path", ["/", "/tracks/shippo", "/v1/tracks/shippo/X", "/x"])
def test_unknown_path_gets_json_404(http: httpx.Client, path: str) -> None:
    response = http.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_trailing_slash_redirects(http: httpx.Client) -> None:
    response = http.get("/tracks/shippo/SHIPPO_TRANSIT/")

    assert response.status_code == 301
    assert response.headers["location"] == "/tracks/shippo/SHIPPO_TRANSIT"
    assert response.headers["content-type"].startswith("text/html")


def test_every_response_has_content_length(
    sandbox: Sandbox, http: httpx.Client
) -> None:
    responses = [
        http.get("/tracks/shippo/SHIPPO_TRANSIT"),
        http.get("/nowhere"),
        http.put("/tracks/"),
        http.get("/tracks/usps/1"),
        http.get("/tracks/shippo/SHIPPO_TRANSIT/"),
        httpx.get(f"{sandbox.url}/tracks/shippo/SHIPPO_TRANSIT"),
    ]
    for response in responses:
        assert int(response.headers["content-length"]) == len(response.content)


def test_keep_alive_reuses_connection(fresh: Sandbox, fresh_http: httpx.Client) -> None:
    numbers = sorted(TEST_NUMBERS)
    for index in range(200):
        number = numbers[index % len(numbers)]
        if index % 2:
            form = {"carrier": "shippo", "tracking_number": number}
            response = fresh_http.post("/tracks/", json=form)
        else:
            response = fresh_http.get(f"/tracks/shippo/{number}")
        assert response.is_success

    assert fresh.request_count == 200
    assert fresh.connection_count == 1


def test_bodies_drained_between_requests(sandbox: Sandbox) -> None:
    # An unread body would be parsed as the next request line.
    with socket.create_connection(("127.0.0.1", sandbox.port)) as raw:
        body = b'{"carrier": "shippo"}'
        request = (
            b"PUT /tracks/shippo/SHIPPO_TRANSIT HTTP/1.1\r\nHost: x\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        follow_up = b"GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        raw.sendall(request + follow_up)
        received = _read_all(raw)

    assert received.count(b"HTTP/1.1 405") == 1
    assert received.count(b"HTTP/1.1 404") == 1


def test_chunked_body_accepted(sandbox: Sandbox) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"carrier": "shippo", '
        yield b'"tracking_number": "SHIPPO_TRANSIT"}'

    with httpx.Client(base_url=sandbox.url, headers=AUTH) as client:
        headers = {"Content-Type": "application/json"}
        response = client.post("/tracks/", content=chunks(), headers=headers)

    assert response.status_code == 201


def test_connection_close_honoured(sandbox: Sandbox) -> None:
    with socket.create_connection(("127.0.0.1", sandbox.port)) as raw:
        raw.sendall(b"GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        received = _read_all(raw)

    assert b"Connection: close" in received
    assert received.startswith(b"HTTP/1.1 404")


def test_stop_closes_idle_connections() -> None:
    sandbox = Sandbox().start()
    client = httpx.Client(base_url=sandbox.url, headers=AUTH)
    client.get("/tracks/shippo/SHIPPO_TRANSIT")

    sandbox.stop()
    client.close()

    assert sandbox.request_count == 1
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{sandbox.url}/tracks/shippo/SHIPPO_TRANSIT")


def _read_all(raw: socket.socket) -> bytes:
    raw.settimeout(5)
    parts = []
    while chunk := raw.recv(65536):
        parts.append(chunk)
    return b"".join(parts)
