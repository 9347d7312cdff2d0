"""The wire check of tests/conftest.py: it passes good requests and names bad ones."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from contract.wire import recording, violations
from shippo_client import Shippo, errors
from shippo_client._generated.api.tracking_status import create_track

KEY = "shippo_test_0123456789abcdef0123456789abcdef01234567"
BODY = {"carrier": "usps", "tracking_number": "1", "tracking_history": []}


def _client() -> Shippo:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=BODY))
    http = httpx.Client(base_url="http://127.0.0.1:9", transport=transport)
    return Shippo(KEY, server_url="http://127.0.0.1:9", client=http)


def test_the_client_requests_are_recorded_and_conform() -> None:
    with recording() as sent, _client() as client:
        client.tracking_status.get("AB/12 3?x#y", "usps")
        client.tracking_status.create(
            {"carrier": "usps", "tracking_number": "1", "metadata": "x" * 100}
        )

    assert [r.method for r in sent] == ["GET", "POST"]
    assert [problem for r in sent for problem in violations(r)] == []


def test_a_request_with_a_wrong_field_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # A deliberate break of the client: the body's field is misspelt.
    real = create_track._get_kwargs

    def misspelt(**kwargs: Any) -> dict[str, Any]:
        result = real(**kwargs)
        body = result.pop("json")
        body["tracking_numbr"] = body.pop("tracking_number")
        result["json"] = body
        return result

    monkeypatch.setattr(create_track, "_get_kwargs", misspelt)
    with recording() as sent, _client() as client:
        client.tracking_status.create({"carrier": "usps", "tracking_number": "1"})

    problems = violations(sent[0])
    assert problems
    assert problems[0].startswith("POST /tracks/ breaks openapi.yaml")
    assert "'tracking_number' is a required property" in problems[0]


def test_a_request_without_a_key_is_named() -> None:
    request = httpx.Request("GET", "http://127.0.0.1:9/tracks/usps/1")

    assert "breaks openapi.yaml" in violations(request)[0]


def test_requests_the_client_refuses_never_reach_the_wire() -> None:
    with recording() as sent, _client() as client:
        with pytest.raises(errors.RequestValidationError):
            client.tracking_status.create({"carrier": "usps", "tracking_number": ""})
        with pytest.raises(errors.RequestValidationError):
            client.tracking_status.create(
                {"carrier": "usps", "tracking_number": "1", "metadata": "x" * 101}
            )

    assert sent == []


def test_plain_httpx_requests_are_not_recorded() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    with recording() as sent, httpx.Client(transport=transport) as http:
        http.post("http://127.0.0.1:9/tracks/", json={"carrier": 1})

    assert sent == []


def test_async_requests_are_recorded_too() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=BODY))
    http = httpx.AsyncClient(base_url="http://127.0.0.1:9", transport=transport)

    async def call() -> None:
        async with Shippo(
            KEY, server_url="http://127.0.0.1:9", async_client=http
        ) as client:
            await client.tracking_status.get_async("1", "usps")
        await http.aclose()

    with recording() as sent:
        asyncio.run(call())

    assert [r.url.path for r in sent] == ["/tracks/usps/1"]
