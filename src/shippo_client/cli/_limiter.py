"""A client-side rate limiter that spaces requests evenly and backs off on 429."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Hands out send times spaced 60 / rate seconds apart.

    Requests are spread evenly rather than sent in bursts, because Shippo
    counts requests per minute and a burst at the start of each minute
    invites 429s. When Shippo still responds with 429, throttle() doubles the
    spacing (halving the rate, down to 1/16 of it) and holds every request
    until the Retry-After delay has passed. After `recovery_s` seconds
    without another 429 the spacing halves again, step by step, back to the
    configured rate.

    Args:
        per_minute: The target rate in requests per minute.
        clock: A monotonic clock in seconds.
        sleep: An async sleep; tests pass one that advances a virtual clock.
        recovery_s: Seconds without a 429 before each step back up.
    """

    _MAX_SLOWDOWN = 16

    def __init__(
        self,
        per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        recovery_s: float = 60.0,
    ) -> None:
        if not math.isfinite(per_minute) or per_minute <= 0:
            raise ValueError(f"the rate must be a positive number, got {per_minute!r}")
        self._base_interval = 60.0 / per_minute
        self._interval = self._base_interval
        self._clock = clock
        self._sleep = sleep
        self._recovery_s = recovery_s
        self._next_slot = -math.inf
        self._last_throttle = -math.inf
        self._lock = asyncio.Lock()

    @property
    def per_minute(self) -> float:
        """The current rate, lower than the configured one after 429s."""
        return 60.0 / self._interval

    async def acquire(self) -> float:
        """Wait for the next send time and return it (clock seconds)."""
        # The lock makes callers wait one after another, so each sleeps only
        # until its own slot and no slot is handed out twice.
        async with self._lock:
            now = self._clock()
            self._recover(now)
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
            if slot > now:
                await self._sleep(slot - now)
            return slot

    def throttle(self, sent_at: float, retry_after: float | None) -> None:
        """Slow down after a 429 to a request that was sent at `sent_at`."""
        now = self._clock()
        if retry_after is not None and retry_after > 0:
            self._next_slot = max(self._next_slot, now + retry_after)

        # Requests sent before the last slowdown were paced at the old rate,
        # so their 429s do not halve the rate again.
        if sent_at <= self._last_throttle:
            return
        self._last_throttle = now
        ceiling = self._base_interval * self._MAX_SLOWDOWN
        self._interval = min(self._interval * 2, ceiling)

    def _recover(self, now: float) -> None:
        if self._interval <= self._base_interval:
            return
        if now - self._last_throttle < self._recovery_s:
            return
        self._interval = max(self._base_interval, self._interval / 2)
        self._last_throttle = now
