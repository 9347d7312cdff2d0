"""Timestamps parse into timezone-aware datetimes, whatever RFC 3339 form they use."""

from __future__ import annotations

import datetime

import pytest

from shippo_client._timestamps import parse_timestamp
from shippo_client.models import TrackingStatus

UTC = datetime.UTC


def _status(**overrides: object) -> dict[str, object]:
    event: dict[str, object] = {
        "object_id": "a" * 32,
        "object_created": "2024-05-24T11:13:09.716Z",
        "status": "TRANSIT",
        "status_details": "Departed.",
    }
    event.update(overrides)
    return event


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-07-23T13:03:00Z", datetime.datetime(2016, 7, 23, 13, 3, tzinfo=UTC)),
        ("2016-07-23t13:03:00z", datetime.datetime(2016, 7, 23, 13, 3, tzinfo=UTC)),
        (
            "2016-12-09T01:40:17.515Z",
            datetime.datetime(2016, 12, 9, 1, 40, 17, 515000, tzinfo=UTC),
        ),
        (
            "2016-12-31T23:59:60Z",
            datetime.datetime(2016, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        ),
        (
            "2018-08-02T18:49:42.566",
            datetime.datetime(2018, 8, 2, 18, 49, 42, 566000, tzinfo=UTC),
        ),
        (
            "2024-03-10T08:00:00-05:00",
            datetime.datetime(2024, 3, 10, 13, 0, tzinfo=UTC),
        ),
        (
            "2024-03-10T08:00:00.123456789+05:30",
            datetime.datetime(2024, 3, 10, 2, 30, 0, 123456, tzinfo=UTC),
        ),
    ],
)
def test_parse_timestamp_forms(text: str, expected: datetime.datetime) -> None:
    parsed = parse_timestamp(text)

    assert parsed == expected
    assert parsed.tzinfo is not None


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2024-13-01T00:00:00Z", "2024-05-24", "2024-05-24T25:00Z"]
)
def test_parse_timestamp_rejects_invalid(text: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(text)


def test_parse_timestamp_rejects_non_string() -> None:
    with pytest.raises(TypeError):
        parse_timestamp(12345)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["object_created", "object_updated", "status_date"])
@pytest.mark.parametrize(
    "text",
    ["2016-07-23t13:03:00z", "2016-12-31T23:59:60Z", "2018-08-02T18:49:42.566"],
)
def test_model_dates_are_aware(field: str, text: str) -> None:
    event = TrackingStatus.from_dict(_status(**{field: text}))

    value = getattr(event, field)
    assert isinstance(value, datetime.datetime)
    assert value.tzinfo is not None


@pytest.mark.parametrize("field", ["object_updated", "status_date"])
def test_model_nullable_date_rejects_garbage(field: str) -> None:
    # The stock union parser returned the raw string here, under a datetime type.
    with pytest.raises((TypeError, ValueError)):
        TrackingStatus.from_dict(_status(**{field: "not-a-date"}))


def test_model_required_date_rejects_number() -> None:
    with pytest.raises(TypeError):
        TrackingStatus.from_dict(_status(object_created=12345))
