from enum import StrEnum


class WebhookEventTypeEnum(StrEnum):
    ALL = "all"
    BATCH_CREATED = "batch_created"
    BATCH_PURCHASED = "batch_purchased"
    TRACK_UPDATED = "track_updated"
    TRANSACTION_CREATED = "transaction_created"
    TRANSACTION_UPDATED = "transaction_updated"

    def __str__(self) -> str:
        return str(self.value)
