from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.service_level_with_parent import ServiceLevelWithParent
    from ..models.tracking_status import TrackingStatus
    from ..models.tracking_status_location_base import TrackingStatusLocationBase


T = TypeVar("T", bound="Track")


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
            original_eta (datetime.datetime | None | Unset): The estimated time of arrival when Shippo first saw the parcel.
            messages (list[str] | None | Unset): Notes from Shippo about the lookup. Omitted in some older responses.
            metadata (None | str | Unset): The free text stored when the parcel was registered.
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
    original_eta: datetime.datetime | None | Unset = UNSET
    messages: list[str] | None | Unset = UNSET
    metadata: None | str | Unset = UNSET
    servicelevel: None | ServiceLevelWithParent | Unset = UNSET
    tracking_status: None | TrackingStatus | Unset = UNSET
    transaction: None | str | Unset = UNSET
    test: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.service_level_with_parent import ServiceLevelWithParent
        from ..models.tracking_status import TrackingStatus
        from ..models.tracking_status_location_base import TrackingStatusLocationBase

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

        original_eta: None | str | Unset
        if isinstance(self.original_eta, Unset):
            original_eta = UNSET
        elif isinstance(self.original_eta, datetime.datetime):
            original_eta = self.original_eta.isoformat()
        else:
            original_eta = self.original_eta

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
        field_dict.update(
            {
                "carrier": carrier,
                "tracking_number": tracking_number,
                "tracking_history": tracking_history,
            }
        )
        if address_from is not UNSET:
            field_dict["address_from"] = address_from
        if address_to is not UNSET:
            field_dict["address_to"] = address_to
        if eta is not UNSET:
            field_dict["eta"] = eta
        if original_eta is not UNSET:
            field_dict["original_eta"] = original_eta
        if messages is not UNSET:
            field_dict["messages"] = messages
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
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
        from ..models.service_level_with_parent import ServiceLevelWithParent
        from ..models.tracking_status import TrackingStatus
        from ..models.tracking_status_location_base import TrackingStatusLocationBase

        d = dict(src_dict)
        carrier = d.pop("carrier")

        tracking_number = d.pop("tracking_number")

        tracking_history = []
        _tracking_history = d.pop("tracking_history")
        for tracking_history_item_data in _tracking_history:
            tracking_history_item = TrackingStatus.from_dict(tracking_history_item_data)

            tracking_history.append(tracking_history_item)

        def _parse_address_from(
            data: object,
        ) -> None | TrackingStatusLocationBase | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise TypeError()
            address_from_type_0 = TrackingStatusLocationBase.from_dict(data)

            return address_from_type_0

        address_from = _parse_address_from(d.pop("address_from", UNSET))

        def _parse_address_to(
            data: object,
        ) -> None | TrackingStatusLocationBase | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise TypeError()
            address_to_type_0 = TrackingStatusLocationBase.from_dict(data)

            return address_to_type_0

        address_to = _parse_address_to(d.pop("address_to", UNSET))

        def _parse_eta(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise TypeError()
            try:
                eta_type_0 = datetime.datetime.fromisoformat(data)
                if eta_type_0.tzinfo is None:
                    raise ValueError("timestamp has no UTC offset")
            except ValueError:
                from shippo_client._timestamps import parse_timestamp

                eta_type_0 = parse_timestamp(data)

            return eta_type_0

        eta = _parse_eta(d.pop("eta", UNSET))

        def _parse_original_eta(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise TypeError()
            try:
                original_eta_type_0 = datetime.datetime.fromisoformat(data)
                if original_eta_type_0.tzinfo is None:
                    raise ValueError("timestamp has no UTC offset")
            except ValueError:
                from shippo_client._timestamps import parse_timestamp

                original_eta_type_0 = parse_timestamp(data)

            return original_eta_type_0

        original_eta = _parse_original_eta(d.pop("original_eta", UNSET))

        def _parse_messages(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                raise TypeError()
            messages_type_0 = cast(list[str], data)

            return messages_type_0

        messages = _parse_messages(d.pop("messages", UNSET))

        def _parse_metadata(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, str):
                return cast(None | str | Unset, data)
            raise TypeError(f"invalid value for metadata: {type(data).__name__}")

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        def _parse_servicelevel(data: object) -> None | ServiceLevelWithParent | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise TypeError()
            servicelevel_type_0 = ServiceLevelWithParent.from_dict(data)

            return servicelevel_type_0

        servicelevel = _parse_servicelevel(d.pop("servicelevel", UNSET))

        def _parse_tracking_status(data: object) -> None | TrackingStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if not isinstance(data, dict):
                raise TypeError()
            tracking_status_type_0 = TrackingStatus.from_dict(data)

            return tracking_status_type_0

        tracking_status = _parse_tracking_status(d.pop("tracking_status", UNSET))

        def _parse_transaction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, str):
                return cast(None | str | Unset, data)
            raise TypeError(f"invalid value for transaction: {type(data).__name__}")

        transaction = _parse_transaction(d.pop("transaction", UNSET))

        def _parse_test(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            if isinstance(data, bool):
                return cast(bool | None | Unset, data)
            raise TypeError(f"invalid value for test: {type(data).__name__}")

        test = _parse_test(d.pop("test", UNSET))

        track = cls(
            carrier=carrier,
            tracking_number=tracking_number,
            tracking_history=tracking_history,
            address_from=address_from,
            address_to=address_to,
            eta=eta,
            original_eta=original_eta,
            messages=messages,
            metadata=metadata,
            servicelevel=servicelevel,
            tracking_status=tracking_status,
            transaction=transaction,
            test=test,
        )

        track.additional_properties = d
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
