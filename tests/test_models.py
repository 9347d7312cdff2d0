"""The models accept every shape real Shippo responses take, and reject the rest."""

from __future__ import annotations

import collections
import contextlib
import copy
from collections.abc import Callable, MutableMapping
from types import MappingProxyType
from typing import Any

import attrs
import pytest

from shippo_client._generated.models.bad_request import BadRequest
from shippo_client.models import (
    ServiceLevelWithParent,
    Track,
    TrackingStatus,
    TrackingStatusEnum,
    TrackingSubstatusCodeEnum,
)
from shippo_client.models.components import UNSET

EVENT: dict[str, Any] = {
    "object_id": "1111aaaa2222bbbb3333cccc4444dddd",
    "object_created": "2024-05-24T11:13:09.716Z",
    "object_updated": "2024-05-24T11:13:09.716Z",
    "status": "TRANSIT",
    "status_details": "Departed an intermediate facility.",
    "status_date": "2024-05-24T11:13:09.715Z",
    "substatus": {
        "code": "package_departed",
        "text": "Package left a carrier facility.",
        "action_required": False,
    },
    "location": {"city": "Springfield", "state": "IL", "zip": "62701", "country": "US"},
}

TRACK: dict[str, Any] = {
    "carrier": "usps",
    "tracking_number": "9400TEST000000000001",
    "messages": [],
    "eta": "2024-06-01T00:00:00Z",
    "original_eta": "2024-06-01T00:00:00Z",
    "servicelevel": {
        "name": "Priority Mail",
        "token": "usps_priority",
        "parent_servicelevel": {"name": "Priority", "token": "usps_priority_base"},
    },
    "metadata": "order-1001",
    "address_from": {
        "city": "Springfield",
        "state": "IL",
        "zip": "62701",
        "country": "US",
    },
    "address_to": {"city": "Riverton", "state": "WY", "zip": "82501", "country": "US"},
    "transaction": "0000aaaa1111bbbb2222cccc3333dddd",
    "test": False,
    "tracking_status": EVENT,
    "tracking_history": [EVENT, EVENT],
}

TRACK_OPTIONAL = [
    "messages",
    "eta",
    "original_eta",
    "servicelevel",
    "metadata",
    "address_from",
    "address_to",
    "transaction",
    "test",
    "tracking_status",
]
EVENT_OPTIONAL = ["object_updated", "status_date", "substatus", "location"]
EVENT_NULLABLE = [*EVENT_OPTIONAL, "status_details"]


def _track(**overrides: Any) -> dict[str, Any]:
    body = copy.deepcopy(TRACK)
    body.update(overrides)
    return body


def _event(**overrides: Any) -> dict[str, Any]:
    event = copy.deepcopy(EVENT)
    event.update(overrides)
    return event


def test_track_full_body_parses() -> None:
    track = Track.from_dict(_track())

    assert track.carrier == "usps"
    assert track.tracking_status.status is TrackingStatusEnum.TRANSIT
    assert len(track.tracking_history) == 2
    assert track.servicelevel.parent_servicelevel.token == "usps_priority_base"
    assert track.tracking_status.substatus.code is (
        TrackingSubstatusCodeEnum.PACKAGE_DEPARTED
    )


@pytest.mark.parametrize("field", TRACK_OPTIONAL)
def test_track_optional_field_null(field: str) -> None:
    track = Track.from_dict(_track(**{field: None}))

    assert getattr(track, field) is None


@pytest.mark.parametrize("field", TRACK_OPTIONAL)
def test_track_optional_field_missing(field: str) -> None:
    body = _track()
    del body[field]

    track = Track.from_dict(body)

    assert getattr(track, field) is UNSET


@pytest.mark.parametrize("field", EVENT_NULLABLE)
def test_event_field_null(field: str) -> None:
    event = TrackingStatus.from_dict(_event(**{field: None}))

    assert getattr(event, field) is None


@pytest.mark.parametrize("field", EVENT_OPTIONAL)
def test_event_field_missing(field: str) -> None:
    body = _event()
    del body[field]

    event = TrackingStatus.from_dict(body)

    assert getattr(event, field) is UNSET


@pytest.mark.parametrize("field", ["city", "state", "zip", "country"])
def test_location_field_null_or_empty(field: str) -> None:
    for value in (None, ""):
        location = {"city": "A", "state": "B", "zip": "C", "country": "D", field: value}
        event = TrackingStatus.from_dict(_event(location=location))

        assert getattr(event.location, field.replace("zip", "zip_")) == value


@pytest.mark.parametrize(
    "servicelevel",
    [{}, {"token": None, "name": None}, {"parent_servicelevel": None}],
)
def test_servicelevel_sparse(servicelevel: dict[str, Any]) -> None:
    track = Track.from_dict(_track(servicelevel=servicelevel))

    assert isinstance(track.servicelevel, ServiceLevelWithParent)
    assert not track.servicelevel.token


def test_unknown_status_kept_as_string() -> None:
    history = [_event(status="TRANSIT"), _event(status="IN_CUSTOMS")]
    track = Track.from_dict(_track(tracking_history=history))

    assert track.tracking_history[0].status is TrackingStatusEnum.TRANSIT
    assert track.tracking_history[1].status == "IN_CUSTOMS"
    assert not isinstance(track.tracking_history[1].status, TrackingStatusEnum)


def test_unknown_substatus_code_kept_as_string() -> None:
    substatus = {"code": "drone_delivery", "text": "By air.", "action_required": False}
    event = TrackingStatus.from_dict(_event(substatus=substatus))

    assert event.substatus.code == "drone_delivery"


def test_status_compares_equal_to_string() -> None:
    event = TrackingStatus.from_dict(_event())

    assert event.status == "TRANSIT"


def test_unknown_keys_kept_at_every_level() -> None:
    event = _event(carrier_code="X1")
    event["location"]["street"] = "1 Main St"
    track = Track.from_dict(_track(description="new field", tracking_status=event))

    assert track.additional_properties == {"description": "new field"}
    assert track.tracking_status.additional_properties == {"carrier_code": "X1"}
    assert track.tracking_status.location.additional_properties == {
        "street": "1 Main St"
    }


def test_known_keys_only_give_empty_extras() -> None:
    first = Track.from_dict(_track())
    second = Track.from_dict(_track())

    assert first.additional_properties == {}
    assert first.additional_properties is not second.additional_properties
    assert first.tracking_status.additional_properties == {}


def test_from_dict_leaves_input_alone() -> None:
    body = _track(description="new field")
    before = copy.deepcopy(body)
    track = Track.from_dict(body)
    track.additional_properties["description"] = "changed"

    assert body == before


def test_from_dict_accepts_any_mapping() -> None:
    body = _track(description="new field")
    body["tracking_history"] = [MappingProxyType(EVENT)]

    track = Track.from_dict(MappingProxyType(body))

    assert track.additional_properties == {"description": "new field"}
    assert track.tracking_history[0].status == "TRANSIT"


def test_bad_request_extras_typed() -> None:
    parsed = BadRequest.from_dict({"detail": "bad", "carrier": ["unknown carrier"]})

    assert parsed.additional_properties == {
        "detail": "bad",
        "carrier": ["unknown carrier"],
    }
    with pytest.raises(TypeError, match="additional_property: int"):
        BadRequest.from_dict({"detail": 5})


def test_round_trip_keeps_data() -> None:
    body = _track(extra={"nested": [1, 2]})

    again = Track.from_dict(Track.from_dict(body).to_dict())

    assert again.to_dict() == Track.from_dict(body).to_dict()
    assert again.additional_properties == {"extra": {"nested": [1, 2]}}


def test_unknown_number_body_parses() -> None:
    body = _track(
        address_to=None,
        eta=None,
        servicelevel={"token": None, "name": None},
        tracking_status=None,
        tracking_history=[],
    )

    track = Track.from_dict(body)

    assert track.tracking_status is None
    assert track.tracking_history == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tracking_status", "DELIVERED"),
        ("tracking_status", ["DELIVERED"]),
        ("address_from", "Las Vegas"),
        ("servicelevel", "usps_priority"),
        ("metadata", 42),
        ("transaction", {"id": "x"}),
        ("test", "yes"),
        ("eta", 1717200000),
        ("eta", "soon"),
    ],
)
def test_wrong_type_raises(field: str, value: Any) -> None:
    with pytest.raises((TypeError, ValueError, KeyError, AttributeError)):
        Track.from_dict(_track(**{field: value}))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", 5),
        ("status", None),
        ("location", "Springfield"),
        ("substatus", "delayed"),
        ("status_date", "later"),
    ],
)
def test_event_wrong_type_raises(field: str, value: Any) -> None:
    with pytest.raises((TypeError, ValueError, KeyError, AttributeError)):
        TrackingStatus.from_dict(_event(**{field: value}))


@pytest.mark.parametrize("field", ["carrier", "tracking_number", "tracking_history"])
def test_missing_required_raises(field: str) -> None:
    body = _track()
    del body[field]

    with pytest.raises(KeyError):
        Track.from_dict(body)


MappingFactory = Callable[[dict[str, Any]], MutableMapping[str, Any]]

_MISSING_AWARE: list[MappingFactory] = [
    lambda body: collections.defaultdict(str, body),
    lambda body: collections.Counter(body),
]


def _without(field: str) -> dict[str, Any]:
    body = _track()
    del body[field]
    return body


@pytest.mark.parametrize("factory", _MISSING_AWARE, ids=["defaultdict", "Counter"])
def test_missing_required_key_raises(factory: MappingFactory) -> None:
    body = factory(_without("carrier"))

    with pytest.raises(KeyError, match="carrier"):
        Track.from_dict(body)


@pytest.mark.parametrize("factory", _MISSING_AWARE, ids=["defaultdict", "Counter"])
def test_missing_required_key_leaves_input(factory: MappingFactory) -> None:
    body = factory(_without("carrier"))

    with contextlib.suppress(KeyError):
        Track.from_dict(body)

    assert "carrier" not in body


def test_parsed_tracks_compare_by_value() -> None:
    first = Track.from_dict({**TRACK, "extra": {"a": 1}})
    second = Track.from_dict({**TRACK, "extra": {"a": 1}})
    other = Track.from_dict({**TRACK, "extra": {"a": 2}})

    assert first == second
    assert first != other


def _rebuilt(instance: Any) -> Any:
    # The same object made through attrs' __init__, which from_dict skips.
    fields = attrs.fields(type(instance))
    values = {f.name: getattr(instance, f.name) for f in fields if f.init}
    rebuilt = type(instance)(**values)
    rebuilt.additional_properties = dict(instance.additional_properties)
    return rebuilt


def test_from_dict_sets_every_field() -> None:
    track = Track.from_dict(_track(extra="kept"))
    event = track.tracking_history[0]
    parsed = [track, event, event.location, event.substatus, track.servicelevel]

    for instance in parsed:
        assert attrs.asdict(instance, recurse=False)
        assert instance == _rebuilt(instance)
