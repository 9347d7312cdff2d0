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
    spacing (halving the rate, down to 1/64 of it) and delays every request
    until the Retry-After delay has passed. The spacing also grows to at
    least 1.1 x the Retry-After delay (up to 60 seconds), because a server that
    refills its budget one request at a time sends the time until the next
    request is allowed: spacing requests closer than that only buys more
    429s, and each 429 spends one of a row's attempts. After `recovery_s`
    seconds without another 429 the spacing halves again, step by step,
    back to the configured rate.

    Args:
        per_minute: The target rate in requests per minute.
        clock: A monotonic clock in seconds.
        sleep: An async sleep; tests pass one that advances a virtual clock.
        recovery_s: Seconds without a 429 before each step back up.
    """

    _MAX_SLOWDOWN = 64
    _MAX_RETRY_AFTER_INTERVAL_S = 60.0
    _RETRY_AFTER_MARGIN = 1.1
    # A sleep may end this much before its deadline (clock resolution and
    # float rounding); such a slot counts as reached.
    _EARLY_WAKE_S = 1e-3

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
        self._last_sent = -math.inf
        self._last_throttle = -math.inf
        self._lock = asyncio.Lock()

    @property
    def per_minute(self) -> float:
        """The current rate, lower than the configured one after 429s."""
        return 60.0 / self._interval

    @property
    def wait_s(self) -> float:
        """Seconds until the next free send time, for example after Retry-After."""
        return max(0.0, self._next_slot - self._clock())

    async def acquire(self) -> float:
        """Wait for the next send time and return it (clock seconds)."""
        # The lock makes callers wait one after another, so no slot is handed
        # out twice. The slot is checked again after each sleep, because a
        # 429 during the sleep may have moved it later.
        async with self._lock:
            while True:
                now = self._clock()
                self._recover(now)
                wait = self._next_slot - now
                if wait > self._EARLY_WAKE_S:
                    await self._sleep(wait)
                    continue

                # A sleep ends a little late. Counting the next slot from this
                # slot, not from the wake-up, keeps that lateness from adding
                # up over thousands of requests. After an idle pause of more
                # than one interval, the schedule restarts from now instead,
                # so that no burst makes up for the pause.
                late = now - self._next_slot
                start = self._next_slot if late < self._interval else now
                self._next_slot = start + self._interval
                self._last_sent = now
                return now

    def throttle(self, sent_at: float, retry_after: float | None) -> bool:
        """Slow down after a 429 to a request that was sent at `sent_at`.

        Returns False when the request was sent before the latest slowdown,
        at a rate the limiter has already given up.
        """
        now = self._clock()
        spacing = 0.0
        if retry_after is not None and retry_after > 0:
            self._next_slot = max(self._next_slot, now + retry_after)
            # The margin keeps requests that arrive a little early, from
            # latency jitter, from landing just before the server frees one.
            spacing = min(
                retry_after * self._RETRY_AFTER_MARGIN,
                self._MAX_RETRY_AFTER_INTERVAL_S,
            )

        # Requests sent before the last slowdown were paced at the old rate,
        # so their 429s do not halve the rate again.
        current = sent_at > self._last_throttle
        if current:
            self._last_throttle = now
            ceiling = self._base_interval * self._MAX_SLOWDOWN
            self._interval = max(self._interval, min(self._interval * 2, ceiling))
        self._interval = max(self._interval, spacing)
        # The next request keeps the new spacing from the last one sent.
        self._next_slot = max(self._next_slot, self._last_sent + self._interval)
        return current

    def _recover(self, now: float) -> None:
        if self._interval <= self._base_interval:
            return
        if now - self._last_throttle < self._recovery_s:
            return
        self._interval = max(self._base_interval, self._interval / 2)
        self._last_throttle = now
