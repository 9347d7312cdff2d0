"""A clock for tests that moves only when code sleeps on it."""

from __future__ import annotations

import asyncio


class VirtualClock:
    """Seconds that advance only through sleep(), so no test really waits."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)
