"""Contains all the data models used in inputs/outputs"""

from .bad_request import BadRequest
from .error import Error
from .service_level import ServiceLevel
from .service_level_with_parent import ServiceLevelWithParent
from .track import Track
from .tracking_status import TrackingStatus
from .tracking_status_enum import TrackingStatusEnum
from .tracking_status_location_base import TrackingStatusLocationBase
from .tracking_status_substatus import TrackingStatusSubstatus
from .tracking_substatus_code_enum import TrackingSubstatusCodeEnum
from .tracks_request import TracksRequest
from .webhook_event_type_enum import WebhookEventTypeEnum
from .webhook_payload_track import WebhookPayloadTrack

__all__ = (
    "BadRequest",
    "Error",
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
)
