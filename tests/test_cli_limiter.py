"""The batch rate limiter: even spacing, slowdown on 429 and recovery."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from shippo_client.cli._limiter import RateLimiter


class VirtualClock:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


def _limiter(clock: VirtualClock, per_minute: float) -> RateLimiter:
    return RateLimiter(per_minute, clock=clock, sleep=clock.sleep, recovery_s=60.0)


def test_slots_are_evenly_spaced() -> None:
    clock = VirtualClock()
    limiter = _limiter(clock, 600)

    async def take(count: int) -> list[float]:
        return await asyncio.gather(*(limiter.acquire() for _ in range(count)))

    slots = sorted(asyncio.run(take(10)))

    gaps = [later - earlier for earlier, later in itertools.pairwise(slots)]
    assert slots[0] == 1_000.0
    assert gaps == pytest.approx([0.1] * 9)


def test_throttle_halves_rate_and_waits_retry_after() -> None:
    clock = VirtualClock()
    limiter = _limiter(clock, 600)

    async def scenario() -> tuple[float, float]:
        sent_at = await limiter.acquire()
        limiter.throttle(sent_at, retry_after=5.0)
        first = await limiter.acquire()
        second = await limiter.acquire()
        return first, second

    first, second = asyncio.run(scenario())

    assert limiter.per_minute == pytest.approx(300)
    assert first == pytest.approx(1_005.0)
    assert second - first == pytest.approx(0.2)


def test_stale_429s_do_not_slow_down_again() -> None:
    clock = VirtualClock()
    limiter = _limiter(clock, 600)

    async def scenario() -> None:
        sent = [await limiter.acquire() for _ in range(3)]
        for sent_at in sent:
            limiter.throttle(sent_at, retry_after=None)

    asyncio.run(scenario())

    assert limiter.per_minute == pytest.approx(300)


def test_slowdown_has_a_floor() -> None:
    clock = VirtualClock()
    limiter = _limiter(clock, 1600)

    async def scenario() -> None:
        for _ in range(10):
            limiter.throttle(await limiter.acquire(), retry_after=None)

    asyncio.run(scenario())

    assert limiter.per_minute == pytest.approx(100)


def test_rate_recovers_after_quiet_minute() -> None:
    clock = VirtualClock()
    limiter = _limiter(clock, 600)

    async def scenario() -> None:
        limiter.throttle(await limiter.acquire(), retry_after=None)
        limiter.throttle(await limiter.acquire(), retry_after=None)
        await clock.sleep(61)
        await limiter.acquire()

    asyncio.run(scenario())

    assert limiter.per_minute == pytest.approx(300)


@pytest.mark.parametrize("rate", [0, -1, float("inf"), float("nan")])
def test_invalid_rate_rejected(rate: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(rate)
