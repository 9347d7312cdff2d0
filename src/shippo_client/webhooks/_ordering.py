"""Drop repeated deliveries and put events back in tracking order.

Shippo may deliver an event more than once (its tracking webhooks are not
idempotent) and in any order, so a consumer needs both steps.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import TypeVar

from ..errors import ConfigurationError
from ..models import Track
from ._events import AnyWebhookEvent, TrackUpdatedEvent, track_ordering_key

__all__ = ["Deduplicator", "sort_by_status_date"]

_Item = TypeVar("_Item", Track, TrackUpdatedEvent)


class Deduplicator:
    """A bounded, thread-safe LRU set of the dedup keys already seen.

    Payloads carry no event id, so a key identifies the delivered state
    (for track_updated: carrier, tracking number and the latest
    tracking_status's object_id, status_date and status), not the HTTP
    delivery. Two deliveries of the same state count as one. Once more than
    ``max_size`` keys are stored, the least recently seen key is forgotten,
    so a very late repeat of it passes again.
    """

    def __init__(self, max_size: int = 10_000) -> None:
        if max_size < 1:
            raise ConfigurationError(f"invalid max_size {max_size!r}: expected >= 1")
        self.max_size = max_size
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __repr__(self) -> str:
        return f"Deduplicator(max_size={self.max_size}, size={len(self)})"

    def is_duplicate(self, event: AnyWebhookEvent | str) -> bool:
        """Record the event (or dedup key) and return True if it was seen before."""
        key = event if isinstance(event, str) else event.dedup_key
        with self._lock:
            if key in self._keys:
                self._keys.move_to_end(key)
                return True

            self._keys[key] = None
            if len(self._keys) > self.max_size:
                self._keys.popitem(last=False)
            return False


def sort_by_status_date(items: Iterable[_Item]) -> list[_Item]:
    """Return Tracks or TrackUpdatedEvents sorted by their latest status_date.

    Items without a status_date come first. The sort is stable, so items with
    equal dates keep their arrival order.
    """
    return sorted(items, key=_ordering_key)


def _ordering_key(item: Track | TrackUpdatedEvent) -> datetime.datetime:
    if isinstance(item, TrackUpdatedEvent):
        return item.ordering_key
    return track_ordering_key(item)
