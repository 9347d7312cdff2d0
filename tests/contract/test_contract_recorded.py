"""Recorded real responses, and the hand-written cases that generators miss."""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from shippo_client import Shippo
from shippo_client.models import Track, TrackingStatusEnum

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("*.json"))
KEY = "shippo_test_0123456789abcdef0123456789abcdef01234567"
UTC = datetime.UTC


def _replay(recording: dict[str, Any]) -> Track:
    def handler(request: httpx.Request) -> httpx.Response:
        content = json.dumps(recording["body"]).encode()
        headers = {"Content-Type": recording["content_type"]}
        return httpx.Response(recording["status"], content=content, headers=headers)

    transport = httpx.MockTransport(handler)
    http = httpx.Client(base_url="http://127.0.0.1:9", transport=transport)
    with Shippo(KEY, server_url="http://127.0.0.1:9", client=http) as client:
        if recording["method"] == "POST":
            body = recording["body"]
            request = {"carrier": body["carrier"], "tracking_number": "1"}
            return client.tracking_status.create(request)
        return client.tracking_status.get("1", recording["body"]["carrier"])


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_recorded_responses_parse(path: Path) -> None:
    recording = json.loads(path.read_text(encoding="utf-8"))

    track = _replay(recording)

    assert track.carrier == recording["body"]["carrier"]
    assert len(track.tracking_history) == len(recording["body"]["tracking_history"])
    assert Track.from_dict(track.to_dict()) == track


def _event(**changes: Any) -> dict[str, Any]:
    event = {
        "object_id": "e1",
        "object_created": "2016-07-23T13:03:00Z",
        "status": "DELIVERED",
        "status_details": "Delivered.",
        "status_date": "2016-07-23T13:03:00Z",
    }
    event.update(changes)
    return event


def _track(*history: dict[str, Any], **changes: Any) -> Track:
    body = {"carrier": "usps", "tracking_number": "1", "tracking_history": history}
    body.update(changes)
    return Track.from_dict(copy.deepcopy(body))


STAMPS = {
    "2016-07-23t13:03:00z": datetime.datetime(2016, 7, 23, 13, 3, tzinfo=UTC),
    "2016-12-31T23:59:60Z": datetime.datetime(
        2016, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC
    ),
    "2016-12-31t23:59:60.5z": datetime.datetime(
        2016, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC
    ),
    "2016-07-23T15:03:00+02:00": datetime.datetime(2016, 7, 23, 13, 3, tzinfo=UTC),
    "2016-07-23T08:33:00-04:30": datetime.datetime(2016, 7, 23, 13, 3, tzinfo=UTC),
    "2016-07-23T13:03:00.123456789Z": datetime.datetime(
        2016, 7, 23, 13, 3, 0, 123_456, tzinfo=UTC
    ),
    "2018-08-02T18:49:42.566": datetime.datetime(
        2018, 8, 2, 18, 49, 42, 566_000, tzinfo=UTC
    ),
}


@pytest.mark.parametrize("stamp", sorted(STAMPS))
def test_rare_timestamps_parse_everywhere(stamp: str) -> None:
    event = _event(object_created=stamp, status_date=stamp, object_updated=stamp)
    track = _track(event, tracking_status=event, eta=stamp, original_eta=stamp)

    status = track.tracking_history[0]
    for value in (status.object_created, status.status_date, track.eta):
        assert value == STAMPS[stamp]
        assert isinstance(value, datetime.datetime)
    assert Track.from_dict(track.to_dict()) == track


def test_long_history_parses_in_order() -> None:
    history = [_event(object_id=f"e{i}", status="TRANSIT") for i in range(5_000)]

    track = _track(*history)

    assert [e.object_id for e in track.tracking_history[:3]] == ["e0", "e1", "e2"]
    assert track.tracking_history[-1].object_id == "e4999"
    assert track.tracking_history[0].status is TrackingStatusEnum.TRANSIT


def test_non_ascii_text_survives() -> None:
    location = {"city": "Zürich", "state": "", "zip": "8001", "country": "CH"}
    event = _event(status_details="Zugestellt · 配達完了 ✅", location=location)

    track = _track(event, metadata="Bestellung Nr. ½ · ✓", tracking_number="ÄÖ ü")

    assert track.tracking_history[0].status_details == "Zugestellt · 配達完了 ✅"
    assert track.to_dict()["metadata"] == "Bestellung Nr. ½ · ✓"
    assert Track.from_dict(track.to_dict()) == track
