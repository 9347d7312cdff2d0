"""Deduplication of repeated deliveries and ordering by status_date."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from shippo_client import errors
from shippo_client.models import Track
from shippo_client.webhooks import (
    Deduplicator,
    TrackUpdatedEvent,
    parse_webhook,
    sort_by_status_date,
)


def _track(object_id: str, status: str, date: str | None) -> dict[str, Any]:
    latest = {
        "object_created": "2026-05-01T10:00:00Z",
        "object_id": object_id,
        "status": status,
        "status_details": None,
        "status_date": date,
    }
    return {
        "carrier": "shippo",
        "tracking_number": "SHIPPO_TRANSIT",
        "tracking_status": latest,
        "tracking_history": [latest],
    }


def _event(object_id: str, status: str, date: str | None) -> TrackUpdatedEvent:
    body = json.dumps(
        {"event": "track_updated", "data": _track(object_id, status, date)}
    )
    event = parse_webhook(body.encode())
    assert isinstance(event, TrackUpdatedEvent)
    return event


def test_repeat_delivery_is_duplicate() -> None:
    dedup = Deduplicator()
    first = _event("st-1", "TRANSIT", "2026-05-02T08:00:00Z")
    again = _event("st-1", "TRANSIT", "2026-05-02T08:00:00Z")

    assert dedup.is_duplicate(first) is False
    assert dedup.is_duplicate(again) is True
    assert len(dedup) == 1


def test_new_status_is_not_duplicate() -> None:
    dedup = Deduplicator()

    assert (
        dedup.is_duplicate(_event("st-1", "TRANSIT", "2026-05-02T08:00:00Z")) is False
    )
    assert (
        dedup.is_duplicate(_event("st-2", "DELIVERED", "2026-05-03T08:00:00Z")) is False
    )
    assert len(dedup) == 2


def test_plain_keys_accepted() -> None:
    dedup = Deduplicator()

    assert dedup.is_duplicate("k") is False
    assert dedup.is_duplicate("k") is True
    assert "k" in dedup


def test_least_recently_seen_key_evicted() -> None:
    dedup = Deduplicator(max_size=2)
    dedup.is_duplicate("a")
    dedup.is_duplicate("b")
    dedup.is_duplicate("a")  # refreshes "a", so "b" is now the oldest
    dedup.is_duplicate("c")

    assert len(dedup) == 2
    assert "a" in dedup
    assert "b" not in dedup
    assert "c" in dedup


def test_invalid_size_rejected() -> None:
    with pytest.raises(errors.ConfigurationError):
        Deduplicator(max_size=0)


def test_concurrent_first_sightings_counted_once() -> None:
    dedup = Deduplicator()
    firsts: list[bool] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        for index in range(200):
            if not dedup.is_duplicate(f"key-{index}"):
                firsts.append(True)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(firsts) == 200
    assert len(dedup) == 200


def test_events_sorted_by_status_date() -> None:
    delivered = _event("st-3", "DELIVERED", "2026-05-04T12:00:00Z")
    transit = _event("st-2", "TRANSIT", "2026-05-03T09:00:00+02:00")
    pre_transit = _event("st-1", "PRE_TRANSIT", None)

    ordered = sort_by_status_date([delivered, transit, pre_transit])

    assert [e.data.tracking_status.status for e in ordered] == [  # type: ignore[union-attr]
        "PRE_TRANSIT",
        "TRANSIT",
        "DELIVERED",
    ]


def test_tracks_sorted_by_status_date() -> None:
    late = Track.from_dict(_track("st-2", "DELIVERED", "2026-05-04T12:00:00Z"))
    early = Track.from_dict(_track("st-1", "TRANSIT", "2026-05-03T12:00:00Z"))
    no_status = Track.from_dict(
        {**_track("x", "UNKNOWN", None), "tracking_status": None}
    )

    assert sort_by_status_date([late, early, no_status]) == [no_status, early, late]


def test_equal_dates_keep_arrival_order() -> None:
    first = _event("st-1", "TRANSIT", "2026-05-03T12:00:00Z")
    second = _event("st-2", "TRANSIT", "2026-05-03T12:00:00Z")

    assert sort_by_status_date([first, second]) == [first, second]
    assert sort_by_status_date([second, first]) == [second, first]
