from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

# The keys that from_dict reads into fields. Any other key of the input goes
# to additional_properties.
_ERROR_FIELDS = frozenset(
    {
        "detail",
    }
)


@_attrs_define
class Error:
    """An error body with one readable message.

    Attributes:
        detail (str | Unset): What went wrong.
    """

    detail: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if type(src_dict) is not dict:
            # A mapping with __missing__ (defaultdict, Counter) would invent
            # a value for a missing required key, so it is copied first.
            src_dict = dict(src_dict)

        detail = src_dict.get("detail", UNSET)

        # Every field is set here, so attrs' __init__, which would only
        # assign the same values, is skipped: see the note at the top.
        error = object.__new__(cls)
        error.detail = detail
        error.additional_properties = {}

        # Fast path: a body with only the listed keys needs no scan.
        if _ERROR_FIELDS.issuperset(src_dict):
            return error

        extra = {
            key: value for key, value in src_dict.items() if key not in _ERROR_FIELDS
        }
        error.additional_properties = extra
        return error

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
