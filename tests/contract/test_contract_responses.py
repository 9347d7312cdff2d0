"""Every body the spec allows parses; every body it forbids raises a typed error."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings

from contract.schemas import bodies, validator
from shippo_client import Shippo, errors
from shippo_client.models import Track

KEY = "shippo_test_0123456789abcdef0123456789abcdef01234567"
PROFILE = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class _Server(ThreadingHTTPServer):
    body = b"{}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    """A local server on 127.0.0.1 that returns 200 with the body last set."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _through_client(server: _Server, body: Any) -> Track:
    server.body = json.dumps(body).encode()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with Shippo(KEY, server_url=url) as client:
        return client.tracking_status.get("9205590164917312751089", "usps")


def _check_round_trip(track: Track) -> None:
    serialised = track.to_dict()
    again = Track.from_dict(serialised)
    assert again == track
    assert again.to_dict() == serialised
    errors_found = [e.message for e in validator("Track").iter_errors(serialised)]
    assert not errors_found, errors_found


@PROFILE
@given(bodies("Track"))
def test_every_valid_body_parses_and_round_trips(body: dict[str, Any]) -> None:
    _check_round_trip(Track.from_dict(copy.deepcopy(body)))


@PROFILE
@given(body=bodies("Track"))
def test_every_valid_body_parses_through_the_client(
    server: _Server, body: dict[str, Any]
) -> None:
    _check_round_trip(_through_client(server, body))


# Each mutation makes a valid body invalid in one place.
Mutation = Callable[[dict[str, Any]], None]


def _first_event(body: dict[str, Any]) -> dict[str, Any]:
    history: list[dict[str, Any]] = body["tracking_history"]
    assume(history)
    return history[0]


def _drop(key: str) -> Mutation:
    return lambda body: body.pop(key)


def _set(key: str, value: Any) -> Mutation:
    return lambda body: body.__setitem__(key, value)


def _in_event(mutation: Mutation) -> Mutation:
    return lambda body: mutation(_first_event(body))


CHECKED: dict[str, Mutation] = {
    "tracking_history missing": _drop("tracking_history"),
    "tracking_history null": _set("tracking_history", None),
    "tracking_history a string": _set("tracking_history", "none"),
    "carrier missing": _drop("carrier"),
    "tracking_number missing": _drop("tracking_number"),
    "tracking_status a string": _set("tracking_status", "DELIVERED"),
    "servicelevel a list": _set("servicelevel", []),
    "eta a number": _set("eta", 1_700_000_000),
    "eta not a date": _set("eta", "next Tuesday"),
    "metadata a number": _set("metadata", 5),
    "test a string": _set("test", "yes"),
    "address_from a string": _set("address_from", "Las Vegas"),
    "event status missing": _in_event(_drop("status")),
    "event status a number": _in_event(_set("status", 3)),
    "event object_created missing": _in_event(_drop("object_created")),
    "event object_created null": _in_event(_set("object_created", None)),
    "event object_created garbage": _in_event(_set("object_created", "2016-13-45")),
    "event status_details missing": _in_event(_drop("status_details")),
    "event status_date a number": _in_event(_set("status_date", 12345)),
    "event location a string": _in_event(_set("location", "Las Vegas")),
    "event a string": lambda body: body["tracking_history"].insert(0, "x"),
    # Plain fields: the generated from_dict copies them without a type check,
    # so these rely on the package's own check of the parsed model.
    "carrier a number": _set("carrier", 5),
    "tracking_number null": _set("tracking_number", None),
    "messages of numbers": _set("messages", [1, 2]),
    "event object_id a number": _in_event(_set("object_id", 7)),
    "event substatus text a number": _in_event(
        _set("substatus", {"code": "delayed", "text": 1, "action_required": True})
    ),
}


def _check_rejected(server: _Server, body: dict[str, Any], mutation: Mutation) -> None:
    mutation(body)
    assume(not validator("Track").is_valid(body))

    with pytest.raises(errors.ResponseValidationError) as caught:
        _through_client(server, body)

    assert caught.value.status_code == 200


@pytest.mark.parametrize("name", sorted(CHECKED))
@settings(PROFILE, max_examples=4)
@given(body=bodies("Track"))
def test_invalid_bodies_raise_the_typed_error(
    server: _Server, name: str, body: dict[str, Any]
) -> None:
    _check_rejected(server, body, CHECKED[name])
