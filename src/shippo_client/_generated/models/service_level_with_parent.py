from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.service_level import ServiceLevel


# The keys that from_dict reads into fields. Any other key of the input goes
# to additional_properties.
_SERVICE_LEVEL_WITH_PARENT_FIELDS = frozenset(
    {
        "name",
        "terms",
        "token",
        "extended_token",
        "parent_servicelevel",
    }
)


@_attrs_define
class ServiceLevelWithParent:
    """A service level and the more generic level it derives from, if any.

    Attributes:
        name (None | str | Unset): Display name, for example `Priority Mail`.
        terms (None | str | Unset): Further terms of the service.
        token (None | str | Unset): Shippo's token of the service level, for example `usps_priority`.
        extended_token (None | str | Unset): A token that is unique across all carriers' service levels.
        parent_servicelevel (None | ServiceLevel | Unset): The generic service level this one refines, for example
            `ups_saver` for `ups_saver_eu`.
    """

    name: None | str | Unset = UNSET
    terms: None | str | Unset = UNSET
    token: None | str | Unset = UNSET
    extended_token: None | str | Unset = UNSET
    parent_servicelevel: None | ServiceLevel | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        terms: None | str | Unset
        if isinstance(self.terms, Unset):
            terms = UNSET
        else:
            terms = self.terms

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        extended_token: None | str | Unset
        if isinstance(self.extended_token, Unset):
            extended_token = UNSET
        else:
            extended_token = self.extended_token

        parent_servicelevel: dict[str, Any] | None | Unset
        if isinstance(self.parent_servicelevel, Unset):
            parent_servicelevel = UNSET
        elif isinstance(self.parent_servicelevel, ServiceLevel):
            parent_servicelevel = self.parent_servicelevel.to_dict()
        else:
            parent_servicelevel = self.parent_servicelevel

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        if name is not UNSET:
            field_dict["name"] = name
        if terms is not UNSET:
            field_dict["terms"] = terms
        if token is not UNSET:
            field_dict["token"] = token
        if extended_token is not UNSET:
            field_dict["extended_token"] = extended_token
        if parent_servicelevel is not UNSET:
            field_dict["parent_servicelevel"] = parent_servicelevel

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if type(src_dict) is not dict:
            # A mapping with __missing__ (defaultdict, Counter) would invent
            # a value for a missing required key, so it is copied first.
            src_dict = dict(src_dict)

        _name_raw = src_dict.get("name", UNSET)
        if isinstance(_name_raw, str) or _name_raw is None or _name_raw is UNSET:
            name = _name_raw
        else:
            raise TypeError(f"invalid value for name: {type(_name_raw).__name__}")

        _terms_raw = src_dict.get("terms", UNSET)
        if isinstance(_terms_raw, str) or _terms_raw is None or _terms_raw is UNSET:
            terms = _terms_raw
        else:
            raise TypeError(f"invalid value for terms: {type(_terms_raw).__name__}")

        _token_raw = src_dict.get("token", UNSET)
        if isinstance(_token_raw, str) or _token_raw is None or _token_raw is UNSET:
            token = _token_raw
        else:
            raise TypeError(f"invalid value for token: {type(_token_raw).__name__}")

        _extended_token_raw = src_dict.get("extended_token", UNSET)
        if (
            isinstance(_extended_token_raw, str)
            or _extended_token_raw is None
            or _extended_token_raw is UNSET
        ):
            extended_token = _extended_token_raw
        else:
            raise TypeError(
                f"invalid value for extended_token: {type(_extended_token_raw).__name__}"
            )

        _parent_servicelevel_raw = src_dict.get("parent_servicelevel", UNSET)
        if _parent_servicelevel_raw is None or _parent_servicelevel_raw is UNSET:
            parent_servicelevel = _parent_servicelevel_raw
        else:
            if not isinstance(_parent_servicelevel_raw, dict):
                raise TypeError()
            parent_servicelevel_type_0 = ServiceLevel.from_dict(
                _parent_servicelevel_raw
            )

            parent_servicelevel = parent_servicelevel_type_0

        # Every field is set here, so attrs' __init__, which would only
        # assign the same values, is skipped: see the note at the top.
        service_level_with_parent = object.__new__(cls)
        service_level_with_parent.name = name
        service_level_with_parent.terms = terms
        service_level_with_parent.token = token
        service_level_with_parent.extended_token = extended_token
        service_level_with_parent.parent_servicelevel = parent_servicelevel
        service_level_with_parent.additional_properties = {}

        # Fast path: a body with only the listed keys needs no scan.
        if _SERVICE_LEVEL_WITH_PARENT_FIELDS.issuperset(src_dict):
            return service_level_with_parent

        extra = {
            key: value
            for key, value in src_dict.items()
            if key not in _SERVICE_LEVEL_WITH_PARENT_FIELDS
        }
        service_level_with_parent.additional_properties = extra
        return service_level_with_parent

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
from ..models.service_level import ServiceLevel
