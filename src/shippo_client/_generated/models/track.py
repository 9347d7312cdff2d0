from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.service_level_with_parent import ServiceLevelWithParent
    from ..models.tracking_status import TrackingStatus
    from ..models.tracking_status_location_base import TrackingStatusLocationBase


# The keys that from_dict reads into fields. Any other key of the input goes
# to additional_properties.
_TRACK_FIELDS = frozenset(
    {
        "carrier",
        "tracking_number",
        "tracking_history",
        "address_from",
        "address_to",
        "eta",
        "messages",
        "metadata",
        "original_eta",
        "servicelevel",
        "tracking_status",
        "transaction",
        "test",
    }
)


@_attrs_define
class Track:
    """A parcel's latest tracking status and its history. Real responses send
    null for most optional fields and omit some of them, so every field
    below that is not required may be absent or null.

    Attributes:
        carrier (str): Carrier token of the parcel.
        tracking_number (str): The carrier's tracking number.
        tracking_history (list[TrackingStatus]): Every tracking event, earliest first. Empty when the carrier has none.
        address_from (None | TrackingStatusLocationBase | Unset): Sender's city, state, zip and country, as far as the
            carrier knows them.
        address_to (None | TrackingStatusLocationBase | Unset): Recipient's city, state, zip and country, as far as the
            carrier knows them.
        eta (datetime.datetime | None | Unset): Estimated time of arrival from the carrier. It can change during the
            parcel's journey, and carriers often send a local date as midnight UTC.
        messages (list[str] | None | Unset): Notes from Shippo about the lookup. Omitted in some older responses.
        metadata (None | str | Unset): The free text stored when the parcel was registered.
        original_eta (datetime.datetime | None | Unset): The estimated time of arrival when Shippo first saw the parcel.
        servicelevel (None | ServiceLevelWithParent | Unset): The carrier's service level. Often an empty object or all
            nulls.
        tracking_status (None | TrackingStatus | Unset): The latest tracking event, or null when the carrier has none
            yet.
        transaction (None | str | Unset): The `object_id` of the Shippo label transaction, visible only to its owner.
        test (bool | None | Unset): True when the object was created with a test key. Sent by the API but missing from
            Shippo's document.
    """

    carrier: str
    tracking_number: str
    tracking_history: list[TrackingStatus]
    address_from: None | TrackingStatusLocationBase | Unset = UNSET
    address_to: None | TrackingStatusLocationBase | Unset = UNSET
    eta: datetime.datetime | None | Unset = UNSET
    messages: list[str] | None | Unset = UNSET
    metadata: None | str | Unset = UNSET
    original_eta: datetime.datetime | None | Unset = UNSET
    servicelevel: None | ServiceLevelWithParent | Unset = UNSET
    tracking_status: None | TrackingStatus | Unset = UNSET
    transaction: None | str | Unset = UNSET
    test: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        tracking_number = self.tracking_number

        tracking_history = []
        for tracking_history_item_data in self.tracking_history:
            tracking_history_item = tracking_history_item_data.to_dict()
            tracking_history.append(tracking_history_item)

        address_from: dict[str, Any] | None | Unset
        if isinstance(self.address_from, Unset):
            address_from = UNSET
        elif isinstance(self.address_from, TrackingStatusLocationBase):
            address_from = self.address_from.to_dict()
        else:
            address_from = self.address_from

        address_to: dict[str, Any] | None | Unset
        if isinstance(self.address_to, Unset):
            address_to = UNSET
        elif isinstance(self.address_to, TrackingStatusLocationBase):
            address_to = self.address_to.to_dict()
        else:
            address_to = self.address_to

        eta: None | str | Unset
        if isinstance(self.eta, Unset):
            eta = UNSET
        elif isinstance(self.eta, datetime.datetime):
            eta = self.eta.isoformat()
        else:
            eta = self.eta

        messages: list[str] | None | Unset
        if isinstance(self.messages, Unset):
            messages = UNSET
        elif isinstance(self.messages, list):
            messages = self.messages

        else:
            messages = self.messages

        metadata: None | str | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        else:
            metadata = self.metadata

        original_eta: None | str | Unset
        if isinstance(self.original_eta, Unset):
            original_eta = UNSET
        elif isinstance(self.original_eta, datetime.datetime):
            original_eta = self.original_eta.isoformat()
        else:
            original_eta = self.original_eta

        servicelevel: dict[str, Any] | None | Unset
        if isinstance(self.servicelevel, Unset):
            servicelevel = UNSET
        elif isinstance(self.servicelevel, ServiceLevelWithParent):
            servicelevel = self.servicelevel.to_dict()
        else:
            servicelevel = self.servicelevel

        tracking_status: dict[str, Any] | None | Unset
        if isinstance(self.tracking_status, Unset):
            tracking_status = UNSET
        elif isinstance(self.tracking_status, TrackingStatus):
            tracking_status = self.tracking_status.to_dict()
        else:
            tracking_status = self.tracking_status

        transaction: None | str | Unset
        if isinstance(self.transaction, Unset):
            transaction = UNSET
        else:
            transaction = self.transaction

        test: bool | None | Unset
        if isinstance(self.test, Unset):
            test = UNSET
        else:
            test = self.test

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict["carrier"] = carrier
        field_dict["tracking_number"] = tracking_number
        field_dict["tracking_history"] = tracking_history
        if address_from is not UNSET:
            field_dict["address_from"] = address_from
        if address_to is not UNSET:
            field_dict["address_to"] = address_to
        if eta is not UNSET:
            field_dict["eta"] = eta
        if messages is not UNSET:
            field_dict["messages"] = messages
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if original_eta is not UNSET:
            field_dict["original_eta"] = original_eta
        if servicelevel is not UNSET:
            field_dict["servicelevel"] = servicelevel
        if tracking_status is not UNSET:
            field_dict["tracking_status"] = tracking_status
        if transaction is not UNSET:
            field_dict["transaction"] = transaction
        if test is not UNSET:
            field_dict["test"] = test

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        if type(src_dict) is not dict:
            # A mapping with __missing__ (defaultdict, Counter) would invent
            # a value for a missing required key, so it is copied first.
            src_dict = dict(src_dict)

        carrier = src_dict["carrier"]

        tracking_number = src_dict["tracking_number"]

        tracking_history = []
        _tracking_history = src_dict["tracking_history"]
        for tracking_history_item_data in _tracking_history:
            tracking_history_item = TrackingStatus.from_dict(tracking_history_item_data)

            tracking_history.append(tracking_history_item)

        _address_from_raw = src_dict.get("address_from", UNSET)
        if _address_from_raw is None or _address_from_raw is UNSET:
            address_from = _address_from_raw
        else:
            if not isinstance(_address_from_raw, dict):
                raise TypeError()
            address_from_type_0 = TrackingStatusLocationBase.from_dict(
                _address_from_raw
            )

            address_from = address_from_type_0

        _address_to_raw = src_dict.get("address_to", UNSET)
        if _address_to_raw is None or _address_to_raw is UNSET:
            address_to = _address_to_raw
        else:
            if not isinstance(_address_to_raw, dict):
                raise TypeError()
            address_to_type_0 = TrackingStatusLocationBase.from_dict(_address_to_raw)

            address_to = address_to_type_0

        _eta_raw = src_dict.get("eta", UNSET)
        if _eta_raw is None or _eta_raw is UNSET:
            eta = _eta_raw
        else:
            if not isinstance(_eta_raw, str):
                raise TypeError()
            _eta_type_0 = _eta_raw
            try:
                eta_type_0 = datetime.datetime.fromisoformat(_eta_type_0)
                if eta_type_0.tzinfo is None:
                    raise ValueError("timestamp has no UTC offset")
            except ValueError:
                from shippo_client._timestamps import parse_timestamp

                eta_type_0 = parse_timestamp(_eta_type_0)

            eta = eta_type_0

        _messages_raw = src_dict.get("messages", UNSET)
        if _messages_raw is None or _messages_raw is UNSET:
            messages = _messages_raw
        else:
            if not isinstance(_messages_raw, list):
                raise TypeError()
            messages_type_0 = cast(list[str], _messages_raw)

            messages = messages_type_0

        _metadata_raw = src_dict.get("metadata", UNSET)
        if (
            isinstance(_metadata_raw, str)
            or _metadata_raw is None
            or _metadata_raw is UNSET
        ):
            metadata = _metadata_raw
        else:
            raise TypeError(
                f"invalid value for metadata: {type(_metadata_raw).__name__}"
            )

        _original_eta_raw = src_dict.get("original_eta", UNSET)
        if _original_eta_raw is None or _original_eta_raw is UNSET:
            original_eta = _original_eta_raw
        else:
            if not isinstance(_original_eta_raw, str):
                raise TypeError()
            _original_eta_type_0 = _original_eta_raw
            try:
                original_eta_type_0 = datetime.datetime.fromisoformat(
                    _original_eta_type_0
                )
                if original_eta_type_0.tzinfo is None:
                    raise ValueError("timestamp has no UTC offset")
            except ValueError:
                from shippo_client._timestamps import parse_timestamp

                original_eta_type_0 = parse_timestamp(_original_eta_type_0)

            original_eta = original_eta_type_0

        _servicelevel_raw = src_dict.get("servicelevel", UNSET)
        if _servicelevel_raw is None or _servicelevel_raw is UNSET:
            servicelevel = _servicelevel_raw
        else:
            if not isinstance(_servicelevel_raw, dict):
                raise TypeError()
            servicelevel_type_0 = ServiceLevelWithParent.from_dict(_servicelevel_raw)

            servicelevel = servicelevel_type_0

        _tracking_status_raw = src_dict.get("tracking_status", UNSET)
        if _tracking_status_raw is None or _tracking_status_raw is UNSET:
            tracking_status = _tracking_status_raw
        else:
            if not isinstance(_tracking_status_raw, dict):
                raise TypeError()
            tracking_status_type_0 = TrackingStatus.from_dict(_tracking_status_raw)

            tracking_status = tracking_status_type_0

        _transaction_raw = src_dict.get("transaction", UNSET)
        if (
            isinstance(_transaction_raw, str)
            or _transaction_raw is None
            or _transaction_raw is UNSET
        ):
            transaction = _transaction_raw
        else:
            raise TypeError(
                f"invalid value for transaction: {type(_transaction_raw).__name__}"
            )

        _test_raw = src_dict.get("test", UNSET)
        if isinstance(_test_raw, bool) or _test_raw is None or _test_raw is UNSET:
            test = _test_raw
        else:
            raise TypeError(f"invalid value for test: {type(_test_raw).__name__}")

        # Every field is set here, so attrs' __init__, which would only
        # assign the same values, is skipped: see the note at the top.
        track = object.__new__(cls)
        track.carrier = carrier
        track.tracking_number = tracking_number
        track.tracking_history = tracking_history
        track.address_from = address_from
        track.address_to = address_to
        track.eta = eta
        track.messages = messages
        track.metadata = metadata
        track.original_eta = original_eta
        track.servicelevel = servicelevel
        track.tracking_status = tracking_status
        track.transaction = transaction
        track.test = test
        track.additional_properties = {}

        # Fast path: a body with only the listed keys needs no scan.
        if _TRACK_FIELDS.issuperset(src_dict):
            return track

        extra = {
            key: value for key, value in src_dict.items() if key not in _TRACK_FIELDS
        }
        track.additional_properties = extra
        return track

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
from ..models.service_level_with_parent import ServiceLevelWithParent
from ..models.tracking_status import TrackingStatus
from ..models.tracking_status_location_base import TrackingStatusLocationBase
