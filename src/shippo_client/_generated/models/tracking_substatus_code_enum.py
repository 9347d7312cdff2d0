from enum import StrEnum


class TrackingSubstatusCodeEnum(StrEnum):
    ADDRESS_ISSUE = "address_issue"
    CONTACT_CARRIER = "contact_carrier"
    DELAYED = "delayed"
    DELIVERED = "delivered"
    DELIVERY_ATTEMPTED = "delivery_attempted"
    DELIVERY_RESCHEDULED = "delivery_rescheduled"
    DELIVERY_SCHEDULED = "delivery_scheduled"
    INFORMATION_RECEIVED = "information_received"
    LOCATION_INACCESSIBLE = "location_inaccessible"
    NOTICE_LEFT = "notice_left"
    OTHER = "other"
    OUT_FOR_DELIVERY = "out_for_delivery"
    PACKAGE_ACCEPTED = "package_accepted"
    PACKAGE_ARRIVED = "package_arrived"
    PACKAGE_DAMAGED = "package_damaged"
    PACKAGE_DEPARTED = "package_departed"
    PACKAGE_DISPOSED = "package_disposed"
    PACKAGE_FORWARDED = "package_forwarded"
    PACKAGE_HELD = "package_held"
    PACKAGE_LOST = "package_lost"
    PACKAGE_PROCESSED = "package_processed"
    PACKAGE_PROCESSING = "package_processing"
    PACKAGE_UNCLAIMED = "package_unclaimed"
    PACKAGE_UNDELIVERABLE = "package_undeliverable"
    PICKUP_AVAILABLE = "pickup_available"
    RESCHEDULE_DELIVERY = "reschedule_delivery"
    RETURN_TO_SENDER = "return_to_sender"

    def __str__(self) -> str:
        return str(self.value)
