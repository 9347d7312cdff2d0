"""Timing helpers shared by the benchmark scripts (stdlib only, so the
official SDK's virtual environment can import this file too)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

__all__ = ["median_per_call_us", "per_call_us"]


def per_call_us(call: Callable[[], object], calls: int) -> float:
    """Run `call` `calls` times and return the mean wall time per call in µs."""
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls * 1e6


def median_per_call_us(
    call: Callable[[], object], calls: int, rounds: int, warmup: int = 20
) -> float:
    for _ in range(warmup):
        call()
    return statistics.median(per_call_us(call, calls) for _ in range(rounds))
