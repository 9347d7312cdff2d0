from enum import StrEnum


class TrackingStatusEnum(StrEnum):
    DELIVERED = "DELIVERED"
    FAILURE = "FAILURE"
    PRE_TRANSIT = "PRE_TRANSIT"
    RETURNED = "RETURNED"
    TRANSIT = "TRANSIT"
    UNKNOWN = "UNKNOWN"

    def __str__(self) -> str:
        return str(self.value)
