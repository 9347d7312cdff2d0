"""Parsing of webhook bodies into typed events, and rejection of bad ones."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

import shippo_client.webhooks as webhooks
from shippo_client import errors
from shippo_client.models import Track, WebhookEventTypeEnum
from shippo_client.webhooks import (
    MalformedWebhookError,
    PayloadTooLargeError,
    TrackUpdatedEvent,
    WebhookEvent,
    parse_webhook,
)


def _status(object_id: str, status: str, date: str | None) -> dict[str, Any]:
    return {
        "object_created": "2026-05-01T10:00:00Z",
        "object_updated": None,
        "object_id": object_id,
        "status": status,
        "status_details": f"{status} scan",
        "status_date": date,
        "substatus": None,
        "location": {"city": "Austin", "state": "TX", "zip": "", "country": "US"},
    }


def _track(status: str = "TRANSIT", date: str | None = "2026-05-02T08:30:00Z"):
    latest = _status("st-2", status, date)
    return {
        "carrier": "shippo",
        "tracking_number": "SHIPPO_TRANSIT",
        "eta": None,
        "servicelevel": {},
        "metadata": None,
        "tracking_status": latest,
        "tracking_history": [
            _status("st-1", "PRE_TRANSIT", "2026-05-01T09:00:00Z"),
            latest,
        ],
        "test": True,
    }


def _body(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def test_track_updated_parsed_into_track() -> None:
    event = parse_webhook(
        _body({"event": "track_updated", "test": True, "data": _track()})
    )

    assert isinstance(event, TrackUpdatedEvent)
    assert event.event is WebhookEventTypeEnum.TRACK_UPDATED
    assert event.test is True
    assert isinstance(event.data, Track)
    assert event.track is event.data
    assert event.data.tracking_number == "SHIPPO_TRANSIT"
    assert event.data.tracking_status.status == "TRANSIT"  # type: ignore[union-attr]
    assert len(event.data.tracking_history) == 2


def test_track_updated_keys() -> None:
    event = parse_webhook(_body({"event": "track_updated", "data": _track()}))

    assert isinstance(event, TrackUpdatedEvent)
    assert event.dedup_key == (
        "track_updated:shippo|SHIPPO_TRANSIT|st-2|2026-05-02T08:30:00+00:00|TRANSIT"
    )
    assert event.ordering_key == datetime.datetime(
        2026, 5, 2, 8, 30, tzinfo=datetime.UTC
    )
    assert event.test is None


def test_track_without_status_date_orders_first() -> None:
    event = parse_webhook(
        _body({"event": "track_updated", "data": _track("PRE_TRANSIT", None)})
    )

    assert isinstance(event, TrackUpdatedEvent)
    assert event.ordering_key.year == 1
    assert event.dedup_key.endswith("|st-2||PRE_TRANSIT")


def test_track_with_null_tracking_status() -> None:
    track = _track()
    track["tracking_status"] = None
    event = parse_webhook(_body({"event": "track_updated", "data": track}))

    assert isinstance(event, TrackUpdatedEvent)
    assert event.dedup_key == "track_updated:shippo|SHIPPO_TRANSIT"


def test_unknown_keys_kept() -> None:
    payload = {"event": "track_updated", "data": _track(), "metadata": "order 7"}
    payload["data"]["new_field"] = 1
    event = parse_webhook(_body(payload))

    assert isinstance(event, TrackUpdatedEvent)
    assert event.extra == {"metadata": "order 7"}
    assert event.data.additional_properties == {"new_field": 1}


def test_unknown_status_kept_as_string() -> None:
    event = parse_webhook(
        _body({"event": "track_updated", "data": _track(status="HELD_AT_DEPOT")})
    )

    assert isinstance(event, TrackUpdatedEvent)
    assert event.data.tracking_status.status == "HELD_AT_DEPOT"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("transaction_created", {"object_id": "tx-1", "status": "SUCCESS"}),
        ("transaction_updated", {"object_id": "tx-1"}),
        ("batch_created", "batch b-1 created"),
        ("batch_purchased", "batch b-1 processing complete"),
        ("all", None),
    ],
)
def test_other_documented_events(name: str, data: Any) -> None:
    event = parse_webhook(_body({"event": name, "test": False, "data": data}))

    assert isinstance(event, WebhookEvent)
    assert event.event is WebhookEventTypeEnum(name)
    assert event.test is False
    assert event.data == data
    assert event.dedup_key.startswith(f"{name}:")


def test_unknown_event_kept_as_string() -> None:
    event = parse_webhook(_body({"event": "refund_issued", "data": {"id": 3}}))

    assert isinstance(event, WebhookEvent)
    assert event.event == "refund_issued"
    assert not isinstance(event.event, WebhookEventTypeEnum)


def test_generic_dedup_key_ignores_key_order() -> None:
    first = parse_webhook(b'{"event": "batch_created", "data": "b", "test": true}')
    second = parse_webhook(b'{"test": true, "data": "b", "event": "batch_created"}')
    other = parse_webhook(b'{"test": true, "data": "c", "event": "batch_created"}')

    assert first.dedup_key == second.dedup_key
    assert first.dedup_key != other.dedup_key


MALFORMED = [
    ("not JSON", b"event=track_updated"),
    ("empty", b""),
    ("truncated", _body({"event": "track_updated", "data": _track()})[:-20]),
    ("invalid UTF-8", b'{"event": "\xff"}'),
    ("array", b'[{"event": "track_updated"}]'),
    ("string", b'"track_updated"'),
    ("missing event", _body({"data": _track()})),
    ("null event", _body({"event": None, "data": _track()})),
    ("numeric event", _body({"event": 7, "data": _track()})),
    ("string test", _body({"event": "track_updated", "test": "yes", "data": {}})),
    ("missing data", _body({"event": "track_updated", "test": True})),
    ("missing data, other event", _body({"event": "batch_created"})),
    ("null data", _body({"event": "track_updated", "data": None})),
    ("list data", _body({"event": "track_updated", "data": [_track()]})),
    ("Track without carrier", _body({"event": "track_updated", "data": {}})),
    (
        "wrong status type",
        _body(
            {
                "event": "track_updated",
                "data": {**_track(), "tracking_status": {"status": 5}},
            }
        ),
    ),
    (
        "history not a list",
        _body({"event": "track_updated", "data": {**_track(), "tracking_history": 3}}),
    ),
    ("deep nesting", b"[" * 100_000 + b"]" * 100_000),
    ("huge integer", b'{"event": "x", "data": ' + b"9" * 10_000 + b"}"),
]


@pytest.mark.parametrize(
    "body", [case[1] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_malformed_body_raises(body: bytes) -> None:
    with pytest.raises(MalformedWebhookError) as info:
        parse_webhook(body)

    assert isinstance(info.value, errors.WebhookError)
    assert str(info.value)


def _with_status_field(name: str, value: Any) -> bytes:
    track = _track()
    track["tracking_status"] = {**track["tracking_status"], name: value}
    return _body({"event": "track_updated", "data": track})


WRONG_TYPES = [
    ("null object_id", _with_status_field("object_id", None), "object_id"),
    ("numeric object_id", _with_status_field("object_id", 5), "object_id"),
    (
        "numeric carrier",
        _body({"event": "track_updated", "data": {**_track(), "carrier": 5}}),
        "carrier",
    ),
    (
        "list tracking_number",
        _body({"event": "track_updated", "data": {**_track(), "tracking_number": []}}),
        "tracking_number",
    ),
    (
        "string history item",
        _body(
            {"event": "track_updated", "data": {**_track(), "tracking_history": ["x"]}}
        ),
        "Track",
    ),
]


@pytest.mark.parametrize(
    ("body", "field"),
    [(case[1], case[2]) for case in WRONG_TYPES],
    ids=[case[0] for case in WRONG_TYPES],
)
def test_wrong_field_type_raises(body: bytes, field: str) -> None:
    # The client rejects these Tracks, so the webhook parser must too.
    with pytest.raises(MalformedWebhookError, match=field) as info:
        parse_webhook(body)

    assert isinstance(info.value, errors.WebhookError)


def test_body_over_limit_rejected_before_decoding() -> None:
    # Not JSON at all: only a size check that runs first can report the size.
    body = b"x" * 2049

    with pytest.raises(PayloadTooLargeError, match="2049 bytes"):
        parse_webhook(body, max_body_bytes=2048)


def test_default_limit_is_one_mebibyte() -> None:
    padding = "p" * (webhooks.MAX_BODY_BYTES)
    body = _body({"event": "batch_created", "data": padding})

    assert webhooks.MAX_BODY_BYTES == 1024 * 1024
    with pytest.raises(PayloadTooLargeError):
        parse_webhook(body)


@pytest.mark.parametrize("declared", ["10", "abc", "-5", "٣"])
def test_content_length_mismatch_raises(declared: str) -> None:
    body = _body({"event": "batch_created", "data": "b"})

    with pytest.raises(MalformedWebhookError, match="Content-Length"):
        parse_webhook(body, {"content-length": declared})


@pytest.mark.parametrize(
    "declared",
    ["1" * 5000, "1" * 20, "+22", "0x16", "22, 22", "\uff12\uff12"],
    ids=["5000 digits", "20 digits", "sign", "hex", "list", "fullwidth"],
)
def test_invalid_content_length_raises(declared: str) -> None:
    body = _body({"event": "batch_created", "data": "b"})

    with pytest.raises(MalformedWebhookError, match="invalid Content-Length") as info:
        parse_webhook(body, {"Content-Length": declared})

    assert not isinstance(info.value, PayloadTooLargeError)


def test_content_length_over_limit_raises() -> None:
    body = _body({"event": "batch_created", "data": "b"})

    with pytest.raises(PayloadTooLargeError, match="Content-Length 9999999999"):
        parse_webhook(body, {"Content-Length": "9999999999"})


def test_endpoint_content_length_checked() -> None:
    endpoint = webhooks.WebhookEndpoint(max_body_bytes=1000)

    assert endpoint.check_content_length(" 1000 ") == 1000
    with pytest.raises(MalformedWebhookError, match="invalid Content-Length"):
        endpoint.check_content_length("1" * 5000)
    with pytest.raises(PayloadTooLargeError, match="over the limit"):
        endpoint.check_content_length("9" * 19)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (_body({"event": "x", "data": 1}), {"Content-Length": "1" * 5000}),
        (_with_status_field("object_id", None), {}),
    ],
    ids=["5000-digit Content-Length", "null object_id"],
)
def test_endpoint_responds_400(body: bytes, headers: dict[str, str]) -> None:
    result = webhooks.WebhookEndpoint().respond(body, headers)

    assert result.status == 400
    assert isinstance(result.error, MalformedWebhookError)


def test_content_length_match_accepted() -> None:
    body = _body({"event": "batch_created", "data": "b"})
    event = parse_webhook(body, {"Content-Length": str(len(body))})

    assert isinstance(event, WebhookEvent)


def test_public_names_pinned() -> None:
    assert sorted(webhooks.__all__) == [
        "AnyWebhookEvent",
        "DEFAULT_SIGNATURE_HEADER",
        "DEFAULT_TOLERANCE_S",
        "Deduplicator",
        "DeliveryResult",
        "HmacSigner",
        "HmacVerifier",
        "MAX_BODY_BYTES",
        "MalformedWebhookError",
        "PayloadTooLargeError",
        "SignatureFormat",
        "TrackUpdatedEvent",
        "Verifier",
        "WebhookEndpoint",
        "WebhookEvent",
        "WebhookReceiver",
        "WebhookVerificationError",
        "parse_webhook",
        "sort_by_status_date",
        "status_for_error",
        "verify_token",
    ]
