"""The batch rate limiter: even spacing, slowdown on 429 and recovery."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from shippo_client.cli._limiter import RateLimiter
from virtualclock import VirtualClock


class LimiterClock(VirtualClock):
    """A virtual clock that starts at 1,000 s, so slots are easy to read."""

    def __init__(self) -> None:
        super().__init__(start=1_000.0)


def _limiter(clock: VirtualClock, per_minute: float) -> RateLimiter:
    return RateLimiter(per_minute, clock=clock, sleep=clock.sleep, recovery_s=60.0)


def test_slots_are_evenly_spaced() -> None:
    clock = LimiterClock()
    limiter = _limiter(clock, 600)

    async def take(count: int) -> list[float]:
        return await asyncio.gather(*(limiter.acquire() for _ in range(count)))

    slots = sorted(asyncio.run(take(10)))

    gaps = [later - earlier for earlier, later in itertools.pairwise(slots)]
    assert slots[0] == 1_000.0
    assert gaps == pytest.approx([0.1] * 9)


def test_throttle_halves_rate_and_waits_retry_after() -> None:
    clock = LimiterClock()
    limiter = _limiter(clock, 600)

    async def scenario() -> tuple[float, float]:
        sent_at = await limiter.acquire()
        limiter.throttle(sent_at, retry_after=0.05)
        first = await limiter.acquire()
        second = await limiter.acquire()
        return first, second

    first, second = asyncio.run(scenario())

    # The new spacing counts from the request that met the 429.
    assert limiter.per_minute == pytest.approx(300)
    assert first == pytest.approx(1_000.2)
    assert second - first == pytest.approx(0.2)


def test_retry_after_sets_min_spacing() -> None:
    # A token-bucket server's Retry-After is the time until its next free
    # request; sending faster than that only collects more 429s.
    clock = LimiterClock()
    limiter = _limiter(clock, 600)

    async def scenario() -> list[float]:
        sent_at = await limiter.acquire()
        limiter.throttle(sent_at, retry_after=3.0)
        assert limiter.wait_s == pytest.approx(3.3)
        return [await limiter.acquire() for _ in range(3)]

    slots = asyncio.run(scenario())

    assert slots[0] == pytest.approx(1_003.3)
    assert slots[1] - slots[0] == pytest.approx(3.3)
    assert slots[2] - slots[1] == pytest.approx(3.3)
    assert limiter.per_minute == pytest.approx(60 / 3.3)


def test_stale_429_retry_after_still_spaces() -> None:
    clock = LimiterClock()
    limiter = _limiter(clock, 600)

    async def scenario() -> None:
        first, second = await limiter.acquire(), await limiter.acquire()
        limiter.throttle(first, retry_after=None)
        limiter.throttle(second, retry_after=2.0)

    asyncio.run(scenario())

    assert limiter.per_minute == pytest.approx(60 / 2.2)


def test_huge_retry_after_caps_spacing() -> None:
    clock = LimiterClock()
    limiter = _limiter(clock, 600)

    async def scenario() -> None:
        limiter.throttle(await limiter.acquire(), retry_after=3600.0)

    asyncio.run(scenario())

    assert limiter.wait_s == pytest.approx(3600.0)
    assert limiter.per_minute == pytest.approx(1)


def test_throttle_during_sleep_delays_sleeper() -> None:
    # A caller already asleep until its slot must not go out at the old
    # spacing when a 429 arrives meanwhile.
    clock = LimiterClock()
    limiter = _limiter(clock, 600)

    async def scenario() -> float:
        sent_at = await limiter.acquire()
        sleeper = asyncio.create_task(limiter.acquire())
        await asyncio.sleep(0)
        limiter.throttle(sent_at, retry_after=2.0)
        return await sleeper

    slot = asyncio.run(scenario())

    assert slot == pytest.approx(1_002.2)


def test_stale_429s_do_not_slow_down_again() -> None:
    clock = LimiterClock()
    limiter = _limiter(clock, 600)

    async def scenario() -> list[bool]:
        sent = [await limiter.acquire() for _ in range(3)]
        return [limiter.throttle(sent_at, retry_after=None) for sent_at in sent]

    current = asyncio.run(scenario())

    assert limiter.per_minute == pytest.approx(300)
    assert current == [True, False, False]


def test_slowdown_has_a_floor() -> None:
    clock = LimiterClock()
    limiter = _limiter(clock, 6400)

    async def scenario() -> None:
        for _ in range(10):
            limiter.throttle(await limiter.acquire(), retry_after=None)

    asyncio.run(scenario())

    assert limiter.per_minute == pytest.approx(100)


def test_rate_recovers_after_quiet_minute() -> None:
    clock = LimiterClock()
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


class LateClock(LimiterClock):
    """A virtual clock whose sleeps end 2 ms late, as real sleeps do."""

    async def sleep(self, seconds: float) -> None:
        await super().sleep(seconds + 0.002)


def test_late_wakeups_do_not_add_up() -> None:
    clock = LateClock()
    limiter = RateLimiter(6000, clock=clock, sleep=clock.sleep, recovery_s=60.0)

    async def take(count: int) -> list[float]:
        return [await limiter.acquire() for _ in range(count)]

    slots = asyncio.run(take(1001))

    # 1,000 intervals of 10 ms: the 2 ms lateness of each sleep must not
    # stretch the run to 12 s.
    assert slots[-1] - slots[0] == pytest.approx(10.0, abs=0.01)
