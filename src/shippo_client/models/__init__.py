"""Public model names. ``components`` mirrors the official SDK's module."""

from . import components
from .components import (
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

__all__ = [
    "ServiceLevel",
    "ServiceLevelWithParent",
    "Track",
    "TrackingStatus",
    "TrackingStatusEnum",
    "TrackingStatusLocationBase",
    "TrackingStatusSubstatus",
    "TrackingSubstatusCodeEnum",
    "TracksRequest",
    "WebhookEventTypeEnum",
    "WebhookPayloadTrack",
    "components",
]
