from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tracking_substatus_code_enum import TrackingSubstatusCodeEnum

# The keys that from_dict reads into fields. Any other key of the input goes
# to additional_properties.
_TRACKING_STATUS_SUBSTATUS_FIELDS = frozenset(
    {
        "code",
        "text",
        "action_required",
    }
)


@_attrs_define
class TrackingStatusSubstatus:
    """A finer classification of a tracking event.

    Attributes:
        code (str | TrackingSubstatusCodeEnum): Stable code of the substatus; build logic on it rather than on the
            prose. Codes outside the documented list are kept as plain strings.
        text (str): Readable description of the substatus.
        action_required (bool): True when the shipper or the recipient must act for the delivery to go on.
    """

    code: str | TrackingSubstatusCodeEnum
    text: str
    action_required: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code: str
        if isinstance(self.code, TrackingSubstatusCodeEnum):
            code = self.code.value
        else:
            code = self.code

        text = self.text

        action_required = self.action_required

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict["code"] = code
        field_dict["text"] = text
        field_dict["action_required"] = action_required

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if type(src_dict) is not dict:
            # A mapping with __missing__ (defaultdict, Counter) would invent
            # a value for a missing required key, so it is copied first.
            src_dict = dict(src_dict)

        _code_raw = src_dict["code"]
        try:
            if not isinstance(_code_raw, str):
                raise TypeError()
            code_type_0 = TrackingSubstatusCodeEnum._value2member_map_.get(
                _code_raw
            ) or TrackingSubstatusCodeEnum(_code_raw)

            code = code_type_0
        except (TypeError, ValueError, AttributeError, KeyError):
            if not (isinstance(_code_raw, str)):
                raise TypeError(
                    f"invalid value for code: {type(_code_raw).__name__}"
                ) from None
            code = _code_raw

        text = src_dict["text"]

        action_required = src_dict["action_required"]

        # Every field is set here, so attrs' __init__, which would only
        # assign the same values, is skipped: see the note at the top.
        tracking_status_substatus = object.__new__(cls)
        tracking_status_substatus.code = code
        tracking_status_substatus.text = text
        tracking_status_substatus.action_required = action_required
        tracking_status_substatus.additional_properties = {}

        # Fast path: a body with only the listed keys needs no scan.
        if _TRACKING_STATUS_SUBSTATUS_FIELDS.issuperset(src_dict):
            return tracking_status_substatus

        extra = {
            key: value
            for key, value in src_dict.items()
            if key not in _TRACKING_STATUS_SUBSTATUS_FIELDS
        }
        tracking_status_substatus.additional_properties = extra
        return tracking_status_substatus

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
