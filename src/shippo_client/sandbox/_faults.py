"""Rate limiting per API key and random fault injection."""

from __future__ import annotations

import enum
import hashlib
import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "Fault",
    "FaultInjector",
    "FaultRates",
    "RateLimiter",
    "retry_after_header",
]

PERMILLE = 1000


class RateLimiter:
    """A token bucket per API key: ``per_minute`` requests, refilled evenly.

    A full bucket contains ``per_minute`` tokens, so a key may send a burst of
    that size and then one request every ``60 / per_minute`` seconds.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float]) -> None:
        if per_minute < 1:
            raise ValueError(
                f"rate_limit_per_minute must be at least 1, got {per_minute}"
            )
        self._capacity = float(per_minute)
        self._rate = per_minute / 60.0
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[bytes, tuple[float, float]] = {}

    def acquire(self, token: str) -> float:
        """Take one token for this key; return 0, or the seconds until one is free."""
        # Buckets are keyed by a digest, so that no key is kept in memory.
        key = hashlib.sha256(token.encode()).digest()
        now = self._clock()
        with self._lock:
            level, last = self._buckets.get(key, (self._capacity, now))
            level = min(self._capacity, level + max(0.0, now - last) * self._rate)
            if level >= 1.0:
                self._buckets[key] = (level - 1.0, now)
                return 0.0
            self._buckets[key] = (level, now)
        return (1.0 - level) / self._rate


def retry_after_header(seconds: float) -> str:
    """Format a delay as a Retry-After value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))


class Fault(enum.Enum):
    """A fault that the injector chose for one request."""

    RATE_LIMITED = "429"
    BAD_GATEWAY = "502"
    SERVICE_UNAVAILABLE = "503"
    STALL = "stall"


@dataclass(frozen=True)
class FaultRates:
    """Chances per thousand requests of each fault kind."""

    rate_limited: int = 0
    server_error: int = 0
    stall: int = 0

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not 0 <= value <= PERMILLE:
                raise ValueError(f"fault rate {name} must be 0..1000, got {value}")
        if self.rate_limited + self.server_error + self.stall > PERMILLE:
            raise ValueError("the fault rates per mille must add up to at most 1000")


class FaultInjector:
    """Draws at most one fault per request from a seeded random generator."""

    def __init__(self, rates: FaultRates, seed: int | None) -> None:
        self._rates = rates
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        rates = self._rates
        return rates.rate_limited + rates.server_error + rates.stall > 0

    def draw(self) -> Fault | None:
        """Return the fault for the next request, or None."""
        if not self.active:
            return None

        with self._lock:
            roll = self._random.randrange(PERMILLE)
            coin = self._random.random()

        rates = self._rates
        if roll < rates.rate_limited:
            return Fault.RATE_LIMITED
        roll -= rates.rate_limited
        if roll < rates.server_error:
            return Fault.BAD_GATEWAY if coin < 0.5 else Fault.SERVICE_UNAVAILABLE
        roll -= rates.server_error
        if roll < rates.stall:
            return Fault.STALL
        return None
