from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tracking_status_enum import TrackingStatusEnum
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tracking_status_location_base import TrackingStatusLocationBase
    from ..models.tracking_status_substatus import TrackingStatusSubstatus


# The keys that from_dict reads into fields. Any other key of the input goes
# to additional_properties.
_TRACKING_STATUS_FIELDS = frozenset(
    {
        "object_id",
        "object_created",
        "status",
        "status_details",
        "location",
        "object_updated",
        "substatus",
        "status_date",
    }
)


@_attrs_define
class TrackingStatus:
    """One tracking event of a parcel.

    Attributes:
        object_id (str): Shippo's id of this event.
        object_created (datetime.datetime): When Shippo stored the event, which can be much later than the scan.
        status (str | TrackingStatusEnum): The coarse status. Values outside the documented list are kept as
            plain strings, so that a new status from Shippo does not break parsing.
        status_details (None | str): The carrier's own description of the event.
        location (None | TrackingStatusLocationBase | Unset): Where the event happened, or null. Carriers often send
            empty strings.
        object_updated (datetime.datetime | None | Unset): When Shippo last changed the event. Null or absent in many
            responses.
        substatus (None | TrackingStatusSubstatus | Unset): A finer classification of the event, or null.
        status_date (datetime.datetime | None | Unset): When the carrier scanned the event, in UTC. Missing on some pre-
            transit events.
    """

    object_id: str
    object_created: datetime.datetime
    status: str | TrackingStatusEnum
    status_details: None | str
    location: None | TrackingStatusLocationBase | Unset = UNSET
    object_updated: datetime.datetime | None | Unset = UNSET
    substatus: None | TrackingStatusSubstatus | Unset = UNSET
    status_date: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_id = self.object_id

        object_created = self.object_created.isoformat()

        status: str
        if isinstance(self.status, TrackingStatusEnum):
            status = self.status.value
        else:
            status = self.status

        status_details: None | str
        status_details = self.status_details

        location: dict[str, Any] | None | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        elif isinstance(self.location, TrackingStatusLocationBase):
            location = self.location.to_dict()
        else:
            location = self.location

        object_updated: None | str | Unset
        if isinstance(self.object_updated, Unset):
            object_updated = UNSET
        elif isinstance(self.object_updated, datetime.datetime):
            object_updated = self.object_updated.isoformat()
        else:
            object_updated = self.object_updated

        substatus: dict[str, Any] | None | Unset
        if isinstance(self.substatus, Unset):
            substatus = UNSET
        elif isinstance(self.substatus, TrackingStatusSubstatus):
            substatus = self.substatus.to_dict()
        else:
            substatus = self.substatus

        status_date: None | str | Unset
        if isinstance(self.status_date, Unset):
            status_date = UNSET
        elif isinstance(self.status_date, datetime.datetime):
            status_date = self.status_date.isoformat()
        else:
            status_date = self.status_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict["object_id"] = object_id
        field_dict["object_created"] = object_created
        field_dict["status"] = status
        field_dict["status_details"] = status_details
        if location is not UNSET:
            field_dict["location"] = location
        if object_updated is not UNSET:
            field_dict["object_updated"] = object_updated
        if substatus is not UNSET:
            field_dict["substatus"] = substatus
        if status_date is not UNSET:
            field_dict["status_date"] = status_date

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if type(src_dict) is not dict:
            # A mapping with __missing__ (defaultdict, Counter) would invent
            # a value for a missing required key, so it is copied first.
            src_dict = dict(src_dict)

        object_id = src_dict["object_id"]

        _object_created = src_dict["object_created"]
        try:
            object_created = datetime.datetime.fromisoformat(_object_created)
            if object_created.tzinfo is None:
                raise ValueError("timestamp has no UTC offset")
        except ValueError:
            from shippo_client._timestamps import parse_timestamp

            object_created = parse_timestamp(_object_created)

        _status_raw = src_dict["status"]
        try:
            if not isinstance(_status_raw, str):
                raise TypeError()
            status_type_0 = TrackingStatusEnum._value2member_map_.get(
                _status_raw
            ) or TrackingStatusEnum(_status_raw)

            status = status_type_0
        except (TypeError, ValueError, AttributeError, KeyError):
            if not (isinstance(_status_raw, str)):
                raise TypeError(
                    f"invalid value for status: {type(_status_raw).__name__}"
                ) from None
            status = _status_raw

        _status_details_raw = src_dict["status_details"]
        if isinstance(_status_details_raw, str) or _status_details_raw is None:
            status_details = _status_details_raw
        else:
            raise TypeError(
                f"invalid value for status_details: {type(_status_details_raw).__name__}"
            )

        _location_raw = src_dict.get("location", UNSET)
        if _location_raw is None or _location_raw is UNSET:
            location = _location_raw
        else:
            if not isinstance(_location_raw, dict):
                raise TypeError()
            location_type_0 = TrackingStatusLocationBase.from_dict(_location_raw)

            location = location_type_0

        _object_updated_raw = src_dict.get("object_updated", UNSET)
        if _object_updated_raw is None or _object_updated_raw is UNSET:
            object_updated = _object_updated_raw
        else:
            if not isinstance(_object_updated_raw, str):
                raise TypeError()
            _object_updated_type_0 = _object_updated_raw
            try:
                object_updated_type_0 = datetime.datetime.fromisoformat(
                    _object_updated_type_0
                )
                if object_updated_type_0.tzinfo is None:
                    raise ValueError("timestamp has no UTC offset")
            except ValueError:
                from shippo_client._timestamps import parse_timestamp

                object_updated_type_0 = parse_timestamp(_object_updated_type_0)

            object_updated = object_updated_type_0

        _substatus_raw = src_dict.get("substatus", UNSET)
        if _substatus_raw is None or _substatus_raw is UNSET:
            substatus = _substatus_raw
        else:
            if not isinstance(_substatus_raw, dict):
                raise TypeError()
            substatus_type_0 = TrackingStatusSubstatus.from_dict(_substatus_raw)

            substatus = substatus_type_0

        _status_date_raw = src_dict.get("status_date", UNSET)
        if _status_date_raw is None or _status_date_raw is UNSET:
            status_date = _status_date_raw
        else:
            if not isinstance(_status_date_raw, str):
                raise TypeError()
            _status_date_type_0 = _status_date_raw
            try:
                status_date_type_0 = datetime.datetime.fromisoformat(
                    _status_date_type_0
                )
                if status_date_type_0.tzinfo is None:
                    raise ValueError("timestamp has no UTC offset")
            except ValueError:
                from shippo_client._timestamps import parse_timestamp

                status_date_type_0 = parse_timestamp(_status_date_type_0)

            status_date = status_date_type_0

        # Every field is set here, so attrs' __init__, which would only
        # assign the same values, is skipped: see the note at the top.
        tracking_status = object.__new__(cls)
        tracking_status.object_id = object_id
        tracking_status.object_created = object_created
        tracking_status.status = status
        tracking_status.status_details = status_details
        tracking_status.location = location
        tracking_status.object_updated = object_updated
        tracking_status.substatus = substatus
        tracking_status.status_date = status_date
        tracking_status.additional_properties = {}

        # Fast path: a body with only the listed keys needs no scan.
        if _TRACKING_STATUS_FIELDS.issuperset(src_dict):
            return tracking_status

        extra = {
            key: value
            for key, value in src_dict.items()
            if key not in _TRACKING_STATUS_FIELDS
        }
        tracking_status.additional_properties = extra
        return tracking_status

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
from ..models.tracking_status_location_base import TrackingStatusLocationBase
from ..models.tracking_status_substatus import TrackingStatusSubstatus
