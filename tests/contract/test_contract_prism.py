"""The client against Prism, an independent mock that serves openapi.yaml."""

from __future__ import annotations

import httpx
import pytest

from shippo_client import Shippo
from shippo_client.models import Track

KEY = "shippo_test_0123456789abcdef0123456789abcdef01234567"
NUMBERS = ["9205590164917312751089", "AB/12 3?x#y", "ÄÖ ü", "a%2Fb"]


def _client(url: str, headers: dict[str, str], seen: list[httpx.Response]) -> Shippo:
    http = httpx.Client(
        base_url=url,
        headers=headers,
        event_hooks={"response": [seen.append]},
    )
    return Shippo(KEY, server_url=url, client=http)


def _check_clean(seen: list[httpx.Response]) -> None:
    assert seen
    for response in seen:
        violations = response.headers.get("sl-violations")
        assert violations is None, f"{response.request.url}: {violations}"


@pytest.mark.parametrize("mode", ["static", "dynamic"])
def test_both_operations_against_prism(prism_url: str, mode: str) -> None:
    seen: list[httpx.Response] = []
    headers = {"Prefer": "dynamic=true"} if mode == "dynamic" else {}
    rounds = 10 if mode == "dynamic" else 1

    with _client(prism_url, headers, seen) as client:
        for _ in range(rounds):
            for number in NUMBERS:
                track = client.tracking_status.get(number, "usps")
                assert isinstance(track, Track)
            created = client.tracking_status.create(
                {"carrier": "usps", "tracking_number": "92055", "metadata": "Ordér 1"}
            )
            assert isinstance(created, Track)
            assert created.to_dict()["tracking_history"] is not None

    _check_clean(seen)


def test_prism_flags_a_request_that_breaks_the_spec(prism_url: str) -> None:
    # The check above can fail: a body with a wrong field draws sl-violations.
    response = httpx.post(
        prism_url + "/tracks/",
        json={"carrier": "usps", "tracking_numbr": "1"},
        headers={"Authorization": f"ShippoToken {KEY}"},
    )

    assert response.status_code == 400
    assert "tracking_number" in response.headers["sl-violations"]
