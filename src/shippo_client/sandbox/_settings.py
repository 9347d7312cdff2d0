"""The sandbox's settings and their validation."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ._delivery import Signer, check_webhook_url
from ._faults import FaultRates

__all__ = ["SandboxSettings"]


@dataclass(frozen=True)
class SandboxSettings:
    """How the sandbox behaves beyond plain test mode.

    Attributes:
        rate_limit_per_minute: Requests per minute per API key, or None for
            no limit. Over the limit the sandbox responds 429 with Retry-After.
        fault_429_permille: Chance per thousand requests of a random 429.
        fault_5xx_permille: Chance per thousand requests of a 502 or 503
            with an HTML body, as a gateway sends.
        fault_stall_permille: Chance per thousand requests of a stall.
        stall_seconds: How long a stalled request waits before its response.
        seed: Seed of the fault generator, for repeatable runs.
        api_key: The only key to accept, or None to accept any well-formed key.
        webhook_url: Where to post track_updated events; loopback hosts only.
        webhook_signer: Returns extra headers for a delivery body.
        advance_interval_s: Seconds between status steps of a registered
            shipment; 0 disables the steps after the first delivery.
        delivery_backoff_s: Delay before a delivery's first retry, in seconds.
        clock: Returns the time in seconds since the epoch, for the dates in
            bodies and for the rate limit.
    """

    rate_limit_per_minute: int | None = None
    fault_429_permille: int = 0
    fault_5xx_permille: int = 0
    fault_stall_permille: int = 0
    stall_seconds: float = 30.0
    seed: int | None = None
    api_key: str | None = field(default=None, repr=False)
    webhook_url: str | None = None
    webhook_signer: Signer | None = None
    advance_interval_s: float = 2.0
    delivery_backoff_s: float = 0.2
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if self.rate_limit_per_minute is not None and self.rate_limit_per_minute < 1:
            raise ValueError(
                "rate_limit_per_minute must be at least 1 or None, "
                f"got {self.rate_limit_per_minute}"
            )

        self.fault_rates()
        _check_seconds("stall_seconds", self.stall_seconds)
        _check_seconds("advance_interval_s", self.advance_interval_s)
        _check_seconds("delivery_backoff_s", self.delivery_backoff_s)

        if self.api_key is not None and (not self.api_key or " " in self.api_key):
            raise ValueError("api_key must be a non-empty key without spaces")
        if self.webhook_url is not None:
            check_webhook_url(self.webhook_url)

    def fault_rates(self) -> FaultRates:
        return FaultRates(
            rate_limited=self.fault_429_permille,
            server_error=self.fault_5xx_permille,
            stall=self.fault_stall_permille,
        )


def _check_seconds(name: str, value: float) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of seconds >= 0, got {value}")
