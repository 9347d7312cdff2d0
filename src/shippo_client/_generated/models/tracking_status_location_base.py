from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

# The keys that from_dict reads into fields. Any other key of the input goes
# to additional_properties.
_TRACKING_STATUS_LOCATION_BASE_FIELDS = frozenset(
    {
        "city",
        "country",
        "state",
        "zip",
    }
)


@_attrs_define
class TrackingStatusLocationBase:
    """A coarse place. Any field may be null or an empty string.

    Attributes:
        city (None | str | Unset):
        country (None | str | Unset):
        state (None | str | Unset):
        zip_ (None | str | Unset):
    """

    city: None | str | Unset = UNSET
    country: None | str | Unset = UNSET
    state: None | str | Unset = UNSET
    zip_: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        city: None | str | Unset
        if isinstance(self.city, Unset):
            city = UNSET
        else:
            city = self.city

        country: None | str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        else:
            state = self.state

        zip_: None | str | Unset
        if isinstance(self.zip_, Unset):
            zip_ = UNSET
        else:
            zip_ = self.zip_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if city is not UNSET:
            field_dict["city"] = city
        if country is not UNSET:
            field_dict["country"] = country
        if state is not UNSET:
            field_dict["state"] = state
        if zip_ is not UNSET:
            field_dict["zip"] = zip_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if type(src_dict) is not dict:
            # A mapping with __missing__ (defaultdict, Counter) would invent
            # a value for a missing required key, so it is copied first.
            src_dict = dict(src_dict)

        _city_raw = src_dict.get("city", UNSET)
        if isinstance(_city_raw, str) or _city_raw is None or _city_raw is UNSET:
            city = _city_raw
        else:
            raise TypeError(f"invalid value for city: {type(_city_raw).__name__}")

        _country_raw = src_dict.get("country", UNSET)
        if (
            isinstance(_country_raw, str)
            or _country_raw is None
            or _country_raw is UNSET
        ):
            country = _country_raw
        else:
            raise TypeError(f"invalid value for country: {type(_country_raw).__name__}")

        _state_raw = src_dict.get("state", UNSET)
        if isinstance(_state_raw, str) or _state_raw is None or _state_raw is UNSET:
            state = _state_raw
        else:
            raise TypeError(f"invalid value for state: {type(_state_raw).__name__}")

        _zip__raw = src_dict.get("zip", UNSET)
        if isinstance(_zip__raw, str) or _zip__raw is None or _zip__raw is UNSET:
            zip_ = _zip__raw
        else:
            raise TypeError(f"invalid value for zip_: {type(_zip__raw).__name__}")

        # Every field is set here, so attrs' __init__, which would only
        # assign the same values, is skipped: see the note at the top.
        tracking_status_location_base = object.__new__(cls)
        tracking_status_location_base.city = city
        tracking_status_location_base.country = country
        tracking_status_location_base.state = state
        tracking_status_location_base.zip_ = zip_
        tracking_status_location_base.additional_properties = {}

        # Fast path: a body with only the listed keys needs no scan.
        if _TRACKING_STATUS_LOCATION_BASE_FIELDS.issuperset(src_dict):
            return tracking_status_location_base

        extra = {
            key: value
            for key, value in src_dict.items()
            if key not in _TRACKING_STATUS_LOCATION_BASE_FIELDS
        }
        tracking_status_location_base.additional_properties = extra
        return tracking_status_location_base

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
