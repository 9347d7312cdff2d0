from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TracksRequest")


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
        field_dict.update(
            {
                "carrier": carrier,
                "tracking_number": tracking_number,
            }
        )
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        carrier = d.pop("carrier")

        tracking_number = d.pop("tracking_number")

        metadata = d.pop("metadata", UNSET)

        tracks_request = cls(
            carrier=carrier,
            tracking_number=tracking_number,
            metadata=metadata,
        )

        tracks_request.additional_properties = d
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
