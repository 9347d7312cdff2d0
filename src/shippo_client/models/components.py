"""The Tracks API's models, generated from openapi.yaml.

Optional fields are ``UNSET`` when the response omits them and ``None`` when
it sends null. Status, substatus code and event type are enum members for
documented values and plain strings for any other, and the members are
StrEnums, so ``track.tracking_status.status == "DELIVERED"`` works for both.
Keys that the spec does not list are kept in each model's
``additional_properties``.
"""

from .._generated.models import (
    ServiceLevel,
    ServiceLevelWithParent,
    Track,
    TrackingStatus,
    TrackingStatusEnum,
    TrackingStatusLocationBase,
    TrackingStatusSubstatus,
    TrackingSubstatusCodeEnum,
    TracksRequest,
    WebhookEventTypeEnum,
    WebhookPayloadTrack,
)
from .._generated.types import UNSET, Unset

__all__ = [
    "UNSET",
    "ServiceLevel",
    "ServiceLevelWithParent",
    "Track",
    "TrackingStatus",
    "TrackingStatusEnum",
    "TrackingStatusLocationBase",
    "TrackingStatusSubstatus",
    "TrackingSubstatusCodeEnum",
    "TracksRequest",
    "Unset",
    "WebhookEventTypeEnum",
    "WebhookPayloadTrack",
]
