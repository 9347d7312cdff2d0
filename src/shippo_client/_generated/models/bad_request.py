from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field


@_attrs_define
class BadRequest:
    """A rejected request: either `{"detail": "..."}` or a map from each
    invalid field to its list of messages.

    """

    additional_properties: dict[str, list[str] | str] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:
        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, list):
                field_dict[prop_name] = prop

            else:
                field_dict[prop_name] = prop

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        # Every field is set here, so attrs' __init__, which would only
        # assign the same values, is skipped: see the note at the top.
        bad_request = object.__new__(cls)
        bad_request.additional_properties = {}

        extra = dict(src_dict)
        additional_properties: dict[str, list[str] | str] = {}
        for prop_name, prop_dict in extra.items():
            _additional_property_raw = prop_dict
            try:
                if not isinstance(_additional_property_raw, list):
                    raise TypeError()
                additional_property_type_1 = cast(list[str], _additional_property_raw)

                additional_property = additional_property_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                if not (isinstance(_additional_property_raw, str)):
                    raise TypeError(
                        f"invalid value for additional_property: {type(_additional_property_raw).__name__}"
                    ) from None
                additional_property = _additional_property_raw

            additional_properties[prop_name] = additional_property

        bad_request.additional_properties = additional_properties
        return bad_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> list[str] | str:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: list[str] | str) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
