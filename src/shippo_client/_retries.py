"""Retry settings and the one policy that makes every retry decision.

RetryConfig and BackoffStrategy keep the official SDK's names and units
(milliseconds). RetryPolicy decides, for each outcome of an attempt, whether
to retry and how long to sleep. The sync and async loops in _transport only
call it and sleep. The clock, the random source and the retry budget are
injected, so tests drive every decision exactly and never really wait.
"""

from __future__ import annotations

import email.utils
import math
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from ._settings import shown
from .errors import ConfigurationError

__all__ = [
    "DEFAULT_RETRY_CONFIG",
    "MAX_DURATION_MS",
    "MAX_EXPONENT",
    "Attempts",
    "BackoffStrategy",
    "Decision",
    "RetryBudget",
    "RetryConfig",
    "RetryPolicy",
    "retry_after_seconds",
]

# The largest duration setting, one day in milliseconds. Larger values are
# mistakes, and values such as 10**400 overflow float arithmetic.
MAX_DURATION_MS = 86_400_000

# The largest backoff exponent. An exponent of 100 already multiplies the
# interval by 10,000 at the third retry, so larger values are mistakes.
MAX_EXPONENT = 100.0

# The seconds form of Retry-After. RFC 9110 section 10.2.3 allows ASCII digits
# only, and a decimal fraction is tolerated. float() would also accept "1_0",
# "1e3", "inf" and non-ASCII digits such as "\u0661".
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")

# Statuses that mean "not processed, try again later" (429) or a transient
# failure of Shippo or its gateway (5XX).
_RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})

# Errors raised before any byte of the request left this machine, so that a
# retry cannot duplicate a registration.
_NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class BackoffStrategy:
    """Exponential backoff settings, all durations in milliseconds.

    The n-th retry sleeps a random time between 0 and
    min(max_interval, initial_interval * exponent ** (n - 1)) ("full jitter").
    No retry starts if its sleep would end at or after max_elapsed_time, and a
    retry that is still running when max_elapsed_time passes is cut off with
    APITimeoutError. The first attempt is bounded only by the client's
    timeout_ms, which applies to each network operation, not to the call.

    Each duration must be at most MAX_DURATION_MS (one day), and the exponent
    at most MAX_EXPONENT (100). Larger values raise ConfigurationError.
    """

    initial_interval: int
    max_interval: int
    exponent: float
    max_elapsed_time: int

    def __post_init__(self) -> None:
        _check_number("initial_interval", self.initial_interval, minimum=1)
        _check_number("max_interval", self.max_interval, minimum=self.initial_interval)
        _check_number("exponent", self.exponent, minimum=1, maximum=MAX_EXPONENT)
        _check_number("max_elapsed_time", self.max_elapsed_time, minimum=0)


@dataclass(frozen=True)
class RetryConfig:
    """When and how often a call is retried.

    Args:
        strategy: "backoff" to retry, "none" to send each request once.
        backoff: The backoff settings; required with "backoff".
        retry_connection_errors: Retry when no response arrived (refused or
            reset connections, timeouts).
        max_attempts: Requests per call at most, the first one included.
        retry_non_idempotent: Also retry POST /tracks/ after a 5XX or a
            timeout. Off by default, because the first request may have been
            processed and a second registration can duplicate notifications.
        max_retry_after: The longest Retry-After, in milliseconds, that the
            client waits for, at most MAX_DURATION_MS (one day). A longer one
            fails the call at once, with the delay in RateLimitError.retry_after.

    The client's timeout_ms bounds each network operation (connecting, each
    read, each write), not a whole attempt: a server that sends one byte
    just before each read timeout keeps an attempt going. The backoff's
    max_elapsed_time bounds the retries, see BackoffStrategy.
    """

    strategy: str
    backoff: BackoffStrategy | None = None
    retry_connection_errors: bool = True
    max_attempts: int = 4
    retry_non_idempotent: bool = False
    max_retry_after: int = 60_000

    def __post_init__(self) -> None:
        if self.strategy not in ("backoff", "none"):
            raise ConfigurationError(
                f"invalid retry strategy {self.strategy!r}: use 'backoff' or 'none'"
            )
        if self.strategy == "backoff" and not isinstance(self.backoff, BackoffStrategy):
            raise ConfigurationError(
                "retry strategy 'backoff' needs backoff=BackoffStrategy(...)"
            )
        _check_int("max_attempts", self.max_attempts, minimum=1)
        _check_number("max_retry_after", self.max_retry_after, minimum=0)
        _check_bool("retry_connection_errors", self.retry_connection_errors)
        _check_bool("retry_non_idempotent", self.retry_non_idempotent)

    @property
    def enabled(self) -> bool:
        return self.strategy == "backoff" and self.max_attempts > 1


class RetryBudget:
    """A token bucket shared by all calls of one client, as botocore's retry quota.

    Each retry takes tokens and each success returns some, so that when Shippo
    is down the client soon stops retrying and fails fast instead of
    multiplying the load.

    Args:
        capacity: Tokens in a full bucket; 0 turns every retry off.
        retry_cost: Tokens a retry after an error status or a failed
            connection takes.
        timeout_cost: Tokens a retry after a timeout takes. It is higher,
            because a timeout blocks a worker for the whole timeout.

    A success without retries returns 1 token; a success after retries
    returns the cost of its last retry.
    """

    def __init__(
        self, capacity: int = 500, retry_cost: int = 5, timeout_cost: int = 10
    ) -> None:
        _check_int("capacity", capacity, minimum=0)
        _check_int("retry_cost", retry_cost, minimum=1)
        _check_int("timeout_cost", timeout_cost, minimum=1)
        self.capacity = capacity
        self.retry_cost = retry_cost
        self.timeout_cost = timeout_cost
        self._tokens = capacity
        self._lock = threading.Lock()

    @property
    def tokens(self) -> int:
        return self._tokens

    def acquire(self, *, timeout: bool) -> int:
        """Take the cost of one retry; return it, or 0 when the bucket is short."""
        cost = self.timeout_cost if timeout else self.retry_cost
        with self._lock:
            if self._tokens < cost:
                return 0
            self._tokens -= cost
            return cost

    def release(self, amount: int) -> None:
        with self._lock:
            self._tokens = min(self.capacity, self._tokens + amount)


@dataclass
class Attempts:
    """The state of one call: how many requests it sent and since when."""

    method: str
    started: float
    count: int = 0
    last_cost: int = 0
    slept: float = 0.0


@dataclass(frozen=True)
class Decision:
    """The outcome of an attempt: retry after `delay` seconds, or stop."""

    retry: bool
    delay: float = 0.0
    reason: str = ""
    retry_after: float | None = field(default=None)


class RetryPolicy:
    """Every retry decision of a client, shared by its sync and async paths."""

    def __init__(
        self,
        config: RetryConfig,
        budget: RetryBudget,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
    ) -> None:
        # A per-call `retries=` of the wrong type would otherwise fail deep in
        # the loop, after the first request went out.
        if not isinstance(config, RetryConfig):
            raise ConfigurationError(
                f"retries must be a RetryConfig, got {type(config).__name__}"
            )
        if not isinstance(budget, RetryBudget):
            raise ConfigurationError(
                f"retry_budget must be a RetryBudget, got {type(budget).__name__}"
            )
        self.config = config
        self.budget = budget
        self._clock = clock
        self._wall_clock = wall_clock
        self._rng = rng

    def start(self, method: str) -> Attempts:
        return Attempts(method=method.upper(), started=self._clock())

    def now(self) -> float:
        """Return the policy's clock reading, in seconds."""
        return self._clock()

    def deadline(self, attempts: Attempts) -> float | None:
        """Return the clock time by which the current attempt must end, or None.

        A retry must end max_elapsed_time after the call started. The first
        attempt has no deadline, so that max_elapsed_time=0 still allows one
        request.
        """
        backoff = self.config.backoff
        if attempts.count < 2 or backoff is None:
            return None
        return attempts.started + backoff.max_elapsed_time / 1000

    def after_response(self, attempts: Attempts, response: httpx.Response) -> Decision:
        """Decide after a response with the given status arrived."""
        status = response.status_code
        if 200 <= status < 300:
            self._settle(attempts)
        if status not in _RETRYABLE_STATUSES:
            return Decision(False)

        retry_after = retry_after_seconds(response.headers, self._wall_clock)
        if status != 429 and not self._may_repeat(attempts):
            return Decision(
                False, reason=f"{attempts.method} is not retried after {status}"
            )

        if retry_after is not None:
            if retry_after * 1000 > self.config.max_retry_after:
                reason = f"Retry-After {retry_after:g} s exceeds the maximum"
                return Decision(False, reason=reason, retry_after=retry_after)
            return self._schedule(attempts, retry_after, str(status), timeout=False)

        return self._schedule(
            attempts, self._backoff(attempts), str(status), timeout=False
        )

    def after_error(self, attempts: Attempts, error: httpx.RequestError) -> Decision:
        """Decide after an attempt that got no usable response."""
        if not isinstance(error, httpx.TransportError):
            # A body that fails to decompress fails again the same way.
            return Decision(False, reason=type(error).__name__)
        if not self.config.retry_connection_errors:
            return Decision(False, reason="retry_connection_errors is off")

        not_sent = isinstance(error, _NOT_SENT_ERRORS)
        if not not_sent and not self._may_repeat(attempts):
            return Decision(False, reason=f"{attempts.method} may have reached Shippo")

        timeout = isinstance(error, httpx.TimeoutException)
        reason = type(error).__name__
        return self._schedule(
            attempts, self._backoff(attempts), reason, timeout=timeout
        )

    def _may_repeat(self, attempts: Attempts) -> bool:
        # GET is idempotent. POST /tracks/ registers a webhook subscription.
        return attempts.method in ("GET", "HEAD") or self.config.retry_non_idempotent

    def _schedule(
        self, attempts: Attempts, delay: float, reason: str, *, timeout: bool
    ) -> Decision:
        if not self.config.enabled or attempts.count >= self.config.max_attempts:
            return Decision(False, reason="no attempts left")

        # Measured after the attempt, so its own duration counts. A retry
        # whose sleep ends exactly at the limit would have no time to run.
        elapsed = self._clock() - attempts.started
        if (elapsed + delay) * 1000 >= self._max_elapsed_ms():
            return Decision(False, reason="the next retry would pass max_elapsed_time")

        cost = self.budget.acquire(timeout=timeout)
        if cost == 0:
            return Decision(False, reason="the client's retry budget is spent")

        attempts.last_cost = cost
        attempts.slept += delay
        return Decision(True, delay=delay, reason=reason)

    def _backoff(self, attempts: Attempts) -> float:
        backoff = self.config.backoff
        if backoff is None:
            return 0.0
        retry_number = max(attempts.count, 1)
        try:
            growth = backoff.exponent ** (retry_number - 1)
        except OverflowError:
            growth = math.inf
        capped_ms = min(float(backoff.max_interval), backoff.initial_interval * growth)
        return self._rng() * capped_ms / 1000

    def _max_elapsed_ms(self) -> float:
        backoff = self.config.backoff
        return math.inf if backoff is None else float(backoff.max_elapsed_time)

    def _settle(self, attempts: Attempts) -> None:
        # A success after retries returns their cost, one without earns a token.
        self.budget.release(attempts.last_cost if attempts.count > 1 else 1)


def retry_after_seconds(
    headers: httpx.Headers, wall_clock: Callable[[], float] = time.time
) -> float | None:
    """Read Retry-After as seconds: a number, or an HTTP-date.

    An HTTP-date counts from the response's Date header when there is one,
    so that a skewed local clock does not change the delay.
    """
    value = headers.get("retry-after")
    if value is None:
        return None

    value = value.strip()
    if _SECONDS.fullmatch(value) is None:
        return _seconds_until(value, headers.get("date"), wall_clock)
    seconds = float(value)
    # A digit string longer than about 308 digits reads as infinity.
    return seconds if math.isfinite(seconds) else None


def _seconds_until(
    http_date: str, date_header: str | None, wall_clock: Callable[[], float]
) -> float | None:
    target = _parse_http_date(http_date)
    if target is None:
        return None

    now = _parse_http_date(date_header) if date_header else None
    reference = now if now is not None else wall_clock()
    return max(0.0, target - reference)


def _parse_http_date(text: str) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def _check_int(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigurationError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ConfigurationError(
            f"{name} must be at least {minimum}, got {shown(value)}"
        )


def _check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ConfigurationError(f"{name} must be True or False, got {value!r}")


def _check_number(
    name: str, value: object, *, minimum: float, maximum: float = MAX_DURATION_MS
) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(f"{name} must be a number, got {value!r}")
    # The chained comparison also rejects NaN, and compares huge ints exactly
    # where math.isfinite would raise OverflowError.
    if not minimum <= value <= maximum:
        raise ConfigurationError(
            f"{name} must be between {_plain(minimum)} and {_plain(maximum)}, "
            f"got {shown(value)}"
        )


def _plain(number: float) -> str:
    # 86,400,000 rather than the 8.64e+07 that :g would print.
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


# Up to 4 attempts within 30 s: enough to ride out a deploy or a rate-limit
# window, short enough for a web request or a cron job.
DEFAULT_RETRY_CONFIG = RetryConfig(
    "backoff",
    BackoffStrategy(
        initial_interval=500, max_interval=8_000, exponent=2.0, max_elapsed_time=30_000
    ),
    retry_connection_errors=True,
)
