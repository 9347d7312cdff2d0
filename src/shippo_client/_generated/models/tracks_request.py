from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

# The keys that from_dict reads into fields. Any other key of the input goes
# to additional_properties.
_TRACKS_REQUEST_FIELDS = frozenset(
    {
        "carrier",
        "tracking_number",
        "metadata",
    }
)


@_attrs_define
class TracksRequest:
    """A parcel to register for tracking webhooks.

    Attributes:
        carrier (str): Carrier token, for example `usps`, or `shippo` for test mode.
        tracking_number (str): The carrier's tracking number.
        metadata (str | Unset): Free text of up to 100 characters that Shippo stores with the parcel.
    """

    carrier: str
    tracking_number: str
    metadata: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        tracking_number = self.tracking_number

        metadata = self.metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict["carrier"] = carrier
        field_dict["tracking_number"] = tracking_number
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if type(src_dict) is not dict:
            # A mapping with __missing__ (defaultdict, Counter) would invent
            # a value for a missing required key, so it is copied first.
            src_dict = dict(src_dict)

        carrier = src_dict["carrier"]

        tracking_number = src_dict["tracking_number"]

        metadata = src_dict.get("metadata", UNSET)

        # Every field is set here, so attrs' __init__, which would only
        # assign the same values, is skipped: see the note at the top.
        tracks_request = object.__new__(cls)
        tracks_request.carrier = carrier
        tracks_request.tracking_number = tracking_number
        tracks_request.metadata = metadata
        tracks_request.additional_properties = {}

        # Fast path: a body with only the listed keys needs no scan.
        if _TRACKS_REQUEST_FIELDS.issuperset(src_dict):
            return tracks_request

        extra = {
            key: value
            for key, value in src_dict.items()
            if key not in _TRACKS_REQUEST_FIELDS
        }
        tracks_request.additional_properties = extra
        return tracks_request

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
