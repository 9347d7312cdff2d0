from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_event_type_enum import WebhookEventTypeEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.track import Track


# The keys that from_dict reads into fields. Any other key of the input goes
# to additional_properties.
_WEBHOOK_PAYLOAD_TRACK_FIELDS = frozenset(
    {
        "event",
        "data",
        "test",
    }
)


@_attrs_define
class WebhookPayloadTrack:
    """The body of a `track_updated` webhook delivery.

    Attributes:
        event (str | WebhookEventTypeEnum): The event type. Other values are kept as plain strings.
        data (Track): A parcel's latest tracking status and its history. Real responses send
            null for most optional fields and omit some of them, so every field
            below that is not required may be absent or null.
        test (bool | None | Unset): True when the event comes from test mode.
    """

    event: str | WebhookEventTypeEnum
    data: Track
    test: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event: str
        if isinstance(self.event, WebhookEventTypeEnum):
            event = self.event.value
        else:
            event = self.event

        data = self.data.to_dict()

        test: bool | None | Unset
        if isinstance(self.test, Unset):
            test = UNSET
        else:
            test = self.test

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict["event"] = event
        field_dict["data"] = data
        if test is not UNSET:
            field_dict["test"] = test

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if type(src_dict) is not dict:
            # A mapping with __missing__ (defaultdict, Counter) would invent
            # a value for a missing required key, so it is copied first.
            src_dict = dict(src_dict)

        _event_raw = src_dict["event"]
        try:
            if not isinstance(_event_raw, str):
                raise TypeError()
            event_type_0 = WebhookEventTypeEnum._value2member_map_.get(
                _event_raw
            ) or WebhookEventTypeEnum(_event_raw)

            event = event_type_0
        except (TypeError, ValueError, AttributeError, KeyError):
            if not (isinstance(_event_raw, str)):
                raise TypeError(
                    f"invalid value for event: {type(_event_raw).__name__}"
                ) from None
            event = _event_raw

        data = Track.from_dict(src_dict["data"])

        _test_raw = src_dict.get("test", UNSET)
        if isinstance(_test_raw, bool) or _test_raw is None or _test_raw is UNSET:
            test = _test_raw
        else:
            raise TypeError(f"invalid value for test: {type(_test_raw).__name__}")

        # Every field is set here, so attrs' __init__, which would only
        # assign the same values, is skipped: see the note at the top.
        webhook_payload_track = object.__new__(cls)
        webhook_payload_track.event = event
        webhook_payload_track.data = data
        webhook_payload_track.test = test
        webhook_payload_track.additional_properties = {}

        # Fast path: a body with only the listed keys needs no scan.
        if _WEBHOOK_PAYLOAD_TRACK_FIELDS.issuperset(src_dict):
            return webhook_payload_track

        extra = {
            key: value
            for key, value in src_dict.items()
            if key not in _WEBHOOK_PAYLOAD_TRACK_FIELDS
        }
        webhook_payload_track.additional_properties = extra
        return webhook_payload_track

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Imported after the class, so that models which refer to each other load in
# any order (see the note at the top of templates/model.py.jinja).
from ..models.track import Track
