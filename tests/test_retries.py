"""RetryPolicy decisions, the retry loops, the budget and the retry settings.

The policy tests drive RetryPolicy directly with a fake clock and a fixed
random value. The loop tests send real requests to casereplay.ReplayServer
with an injected sleep, so no test waits for a backoff.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Any

import httpx
import pytest

from casereplay import Exchange, FakeClock, ReplayServer
from shippo_client import BackoffStrategy, RetryConfig, Shippo, errors
from shippo_client._retries import (
    DEFAULT_RETRY_CONFIG,
    Attempts,
    RetryPolicy,
    retry_after_seconds,
)
from shippo_client.models import Track
from shippo_client.utils import RetryBudget

TRACK = {
    "carrier": "usps",
    "tracking_number": "1",
    "tracking_status": None,
    "tracking_history": [],
}
OK = Exchange(200, {"Content-Type": "application/json"}, TRACK)
BACKOFF = BackoffStrategy(
    initial_interval=100, max_interval=1_000, exponent=2.0, max_elapsed_time=60_000
)
CONFIG = RetryConfig("backoff", BACKOFF, max_attempts=5)


def policy(
    config: RetryConfig = CONFIG,
    *,
    clock: FakeClock | None = None,
    rng: float = 1.0,
    budget: RetryBudget | None = None,
) -> RetryPolicy:
    return RetryPolicy(
        config,
        budget or RetryBudget(),
        clock=clock or FakeClock(),
        wall_clock=lambda: 0.0,
        rng=lambda: rng,
    )


def response(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, headers=headers or {})


def attempt(p: RetryPolicy, method: str = "GET", count: int = 1) -> Attempts:
    attempts = p.start(method)
    attempts.count = count
    return attempts


# The decisions


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_get_is_retried_on_transient_statuses(status: int) -> None:
    assert policy().after_response(attempt(policy()), response(status)).retry


@pytest.mark.parametrize(
    "status", [200, 201, 301, 400, 401, 403, 404, 409, 422, 499, 501, 505, 520]
)
def test_other_statuses_are_final(status: int) -> None:
    p = policy()
    assert not p.after_response(attempt(p), response(status)).retry


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_post_is_not_retried_after_a_server_error(status: int) -> None:
    p = policy()
    decision = p.after_response(attempt(p, "POST"), response(status))
    assert not decision.retry
    assert "POST" in decision.reason


def test_post_is_retried_after_429() -> None:
    p = policy()
    assert p.after_response(attempt(p, "POST"), response(429)).retry


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow connect"),
        httpx.PoolTimeout("no free connection"),
    ],
)
def test_post_is_retried_when_nothing_was_sent(error: httpx.TransportError) -> None:
    p = policy()
    assert p.after_error(attempt(p, "POST"), error).retry


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout("slow answer"),
        httpx.WriteTimeout("slow upload"),
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("truncated"),
        httpx.WriteError("broken pipe"),
    ],
)
def test_post_not_retried_if_maybe_sent(
    error: httpx.TransportError,
) -> None:
    p = policy()
    assert not p.after_error(attempt(p, "POST"), error).retry
    assert p.after_error(attempt(p, "GET"), error).retry


def test_opt_in_retries_post_after_5xx_and_timeouts() -> None:
    config = RetryConfig("backoff", BACKOFF, retry_non_idempotent=True)
    p = policy(config)
    assert p.after_response(attempt(p, "POST"), response(503)).retry
    assert p.after_error(attempt(p, "POST"), httpx.ReadTimeout("slow")).retry


def test_connection_errors_can_be_excluded() -> None:
    config = RetryConfig("backoff", BACKOFF, retry_connection_errors=False)
    p = policy(config)
    assert not p.after_error(attempt(p), httpx.ConnectError("refused")).retry
    assert p.after_response(attempt(p), response(503)).retry


def test_decoding_errors_are_not_retried() -> None:
    p = policy()
    assert not p.after_error(attempt(p), httpx.DecodingError("bad gzip")).retry


def test_strategy_none_never_retries() -> None:
    p = policy(RetryConfig("none"))
    assert not p.after_response(attempt(p), response(503)).retry
    assert not p.after_error(attempt(p), httpx.ConnectError("refused")).retry


# Backoff: full jitter over the capped exponential


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.8), (5, 1.0), (60, 1.0), (5000, 1.0)],
)
def test_backoff_grows_to_the_cap(count: int, expected: float) -> None:
    config = RetryConfig("backoff", BACKOFF, max_attempts=10_000)
    p = policy(config, rng=1.0)
    decision = p.after_response(attempt(p, count=count), response(503))
    assert decision.delay == pytest.approx(expected)


@pytest.mark.parametrize("rng", [0.0, 0.25, 0.999])
def test_jitter_spans_the_whole_capped_interval(rng: float) -> None:
    # At the cap, the delay is still uniform in [0, max_interval].
    config = RetryConfig("backoff", BACKOFF, max_attempts=100)
    p = policy(config, rng=rng)
    decision = p.after_response(attempt(p, count=50), response(503))
    assert decision.delay == pytest.approx(rng * 1.0)


def test_attempt_cap() -> None:
    p = policy(RetryConfig("backoff", BACKOFF, max_attempts=3))
    assert p.after_response(attempt(p, count=2), response(503)).retry
    decision = p.after_response(attempt(p, count=3), response(503))
    assert not decision.retry
    assert decision.reason == "no attempts left"


def test_max_elapsed_time_counts_the_next_sleep() -> None:
    backoff = BackoffStrategy(1_000, 1_000, 1.0, max_elapsed_time=5_000)
    clock = FakeClock()
    p = policy(RetryConfig("backoff", backoff, max_attempts=100), clock=clock)
    attempts = attempt(p)

    clock.now += 3.9
    assert p.after_response(attempts, response(503)).retry
    clock.now += 0.2
    decision = p.after_response(attempts, response(503))
    assert not decision.retry
    assert "max_elapsed_time" in decision.reason


def test_deadline_uses_injected_clock() -> None:
    clock = FakeClock()
    p = RetryPolicy(CONFIG, RetryBudget(), clock=clock, rng=lambda: 0.0)
    attempts = p.start("GET")
    assert attempts.started == clock.now


# Retry-After


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        ("0", 0.0),
        (" 1.5 ", 1.5),
        ("Wed, 21 Oct 2026 07:28:03 GMT", 3.0),
        ("Wed, 21 Oct 2026 07:27:00 GMT", 0.0),
        ("soon", None),
        ("-1", None),
        ("nan", None),
        ("inf", None),
        ("", None),
        ("1_0", None),
        ("1e1", None),
        ("0x10", None),
        ("+5", None),
        ("5.", None),
        ("\u0661", None),
        ("\u0661\u0660", None),
        ("\uff15", None),
        ("9" * 400, None),
    ],
)
def test_retry_after_forms(value: str, seconds: float | None) -> None:
    # UTF-8 bytes, as a server would send non-ASCII digits; httpx decodes them.
    headers = httpx.Headers(
        {"Retry-After": value.encode(), "Date": b"Wed, 21 Oct 2026 07:28:00 GMT"}
    )
    assert retry_after_seconds(headers) == seconds


def test_retry_after_date_without_date_header() -> None:
    headers = httpx.Headers({"Retry-After": "Thu, 01 Jan 1970 00:00:10 GMT"})
    assert retry_after_seconds(headers, wall_clock=lambda: 4.0) == 6.0


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_replaces_the_backoff(status: int) -> None:
    p = policy(rng=0.0)
    decision = p.after_response(attempt(p), response(status, {"Retry-After": "7"}))
    assert (decision.retry, decision.delay) == (True, 7.0)


def test_invalid_retry_after_falls_back_to_the_backoff() -> None:
    p = policy(rng=1.0)
    headers = {"Retry-After": "later"}
    assert p.after_response(attempt(p), response(429, headers)).delay == 0.1


def test_retry_after_above_the_cap_stops_at_once() -> None:
    config = RetryConfig("backoff", BACKOFF, max_retry_after=10_000)
    p = policy(config)
    decision = p.after_response(attempt(p), response(429, {"Retry-After": "11"}))
    assert not decision.retry
    assert decision.retry_after == 11.0


@pytest.mark.parametrize("retry_after", ["120", "Wed, 21 Oct 2026 07:30:00 GMT"])
def test_retry_after_above_cap_fails_fast(retry_after: str) -> None:
    headers = {
        "Retry-After": retry_after,
        "Date": "Wed, 21 Oct 2026 07:28:00 GMT",
        "Content-Type": "application/json",
    }
    script = [Exchange(429, headers, {"detail": "Request was throttled."}), OK]
    with (
        ReplayServer(script) as server,
        make_client(server) as client,
        pytest.raises(errors.RateLimitError) as caught,
    ):
        client.tracking_status.get("1", "usps")

    assert caught.value.retry_after == 120.0
    assert caught.value.attempts == 1
    assert "retry after 120 s" in str(caught.value)
    assert len(server.requests) == 1


# The retry budget


def test_budget_runs_out_and_stops_retries() -> None:
    budget = RetryBudget(capacity=10, retry_cost=5, timeout_cost=10)
    p = policy(budget=budget)
    assert p.after_response(attempt(p), response(503)).retry
    assert p.after_response(attempt(p), response(503)).retry
    decision = p.after_response(attempt(p), response(503))
    assert not decision.retry
    assert "budget" in decision.reason
    assert budget.tokens == 0


def test_timeouts_cost_more() -> None:
    budget = RetryBudget(capacity=100, retry_cost=5, timeout_cost=10)
    p = policy(budget=budget)
    p.after_error(attempt(p), httpx.ReadTimeout("slow"))
    assert budget.tokens == 90
    p.after_error(attempt(p), httpx.ConnectError("refused"))
    assert budget.tokens == 85


def test_success_refunds_the_last_retry() -> None:
    budget = RetryBudget(capacity=100)
    p = policy(budget=budget)
    attempts = attempt(p)
    p.after_response(attempts, response(503))
    assert budget.tokens == 95
    attempts.count += 1
    p.after_response(attempts, response(200))
    assert budget.tokens == 100


def test_budget_success_earns_one_token() -> None:
    budget = RetryBudget(capacity=100)
    budget.acquire(timeout=True)
    p = policy(budget=budget)
    p.after_response(attempt(p), response(200))
    assert budget.tokens == 91
    for _ in range(20):
        p.after_response(attempt(p), response(200))
    assert budget.tokens == 100


def test_budget_is_thread_safe() -> None:
    budget = RetryBudget(capacity=1_000, retry_cost=1)
    acquired: list[int] = []

    def worker() -> None:
        for _ in range(500):
            acquired.append(budget.acquire(timeout=False))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(acquired) == 1_000
    assert budget.tokens == 0


def test_client_shares_one_budget_between_calls() -> None:
    budget = RetryBudget(capacity=5, retry_cost=5)
    script = [Exchange(503, repeat="always")]
    with ReplayServer(script) as server, make_client(server, budget=budget) as c:
        for _ in range(2):
            with pytest.raises(errors.ServiceUnavailableError):
                c.tracking_status.get("1", "usps")
    # The first call spent the only retry; the second failed fast.
    assert len(server.requests) == 3


# Settings


@pytest.mark.parametrize(
    "kwargs",
    [
        {"strategy": "backof"},
        {"strategy": "backoff", "backoff": None},
        {"strategy": "backoff", "backoff": BACKOFF, "max_attempts": 0},
        {"strategy": "backoff", "backoff": BACKOFF, "max_attempts": 2.5},
        {"strategy": "backoff", "backoff": BACKOFF, "max_attempts": True},
        {"strategy": "backoff", "backoff": BACKOFF, "max_retry_after": -1},
        {"strategy": "backoff", "backoff": BACKOFF, "max_retry_after": 10**400},
        {"strategy": "none", "max_retry_after": float("inf")},
        {"strategy": "backoff", "backoff": BACKOFF, "max_attempts": -(10**5000)},
        {"strategy": "backoff", "backoff": BACKOFF, "retry_connection_errors": "no"},
        {"strategy": "backoff", "backoff": BACKOFF, "retry_non_idempotent": 1},
    ],
)
def test_invalid_retry_configs_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(errors.ConfigurationError):
        RetryConfig(**kwargs)


@pytest.mark.parametrize(
    "args",
    [
        (0, 100, 2.0, 1000),
        (100, 50, 2.0, 1000),
        (100, 1000, 0.5, 1000),
        (100, 1000, 2.0, -1),
        (100, 1000, float("nan"), 1000),
        ("100", 1000, 2.0, 1000),
        (True, 1000, 2.0, 1000),
        (10**400, 10**400, 2.0, 10**400),
        (10**5000, 10**5000, 2.0, 1000),
        (100, 86_400_001, 2.0, 1000),
        (100, 1000, 2.0, 86_400_001),
        (100, 1000, 1e308, 1000),
        (100, 1000, float("inf"), 1000),
        (1e308, 1e308, 2.0, 1000),
    ],
)
def test_invalid_backoffs_are_rejected(args: tuple[Any, ...]) -> None:
    with pytest.raises(errors.ConfigurationError):
        BackoffStrategy(*args)


def test_largest_backoff_is_accepted() -> None:
    day = 86_400_000
    backoff = BackoffStrategy(day, day, 100.0, day)
    assert RetryConfig("backoff", backoff, max_retry_after=day).enabled


@pytest.mark.parametrize(
    "kwargs", [{"capacity": -1}, {"retry_cost": 0}, {"timeout_cost": 1.5}]
)
def test_invalid_budgets_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(errors.ConfigurationError):
        RetryBudget(**kwargs)


def test_default_settings_are_safe() -> None:
    client = Shippo("shippo_test_x")
    config = client.retry_config
    assert config is DEFAULT_RETRY_CONFIG
    assert config.enabled
    assert config.retry_connection_errors
    assert not config.retry_non_idempotent
    assert 1 < config.max_attempts <= 5
    assert config.backoff is not None
    assert config.backoff.max_elapsed_time <= 60_000
    assert 0 < client.timeout.read <= 60  # type: ignore[operator]


# The loop against a real server


def make_client(
    server: ReplayServer,
    *,
    config: RetryConfig = CONFIG,
    budget: RetryBudget | None = None,
    **kwargs: Any,
) -> Shippo:
    clock = FakeClock()
    return Shippo(
        "shippo_test_x",
        server_url=server.url,
        retry_config=config,
        clock=clock,
        sleep=clock.sleep,
        async_sleep=clock.async_sleep,
        rng=lambda: 0.5,
        retry_budget=budget,
        **kwargs,
    )


@pytest.mark.parametrize("retries", [{"strategy": "none"}, 3, "none"])
def test_invalid_per_call_retries_send_nothing(retries: Any) -> None:
    with (
        ReplayServer([OK]) as server,
        make_client(server) as client,
        pytest.raises(errors.ConfigurationError, match="RetryConfig"),
    ):
        client.tracking_status.get("1", "usps", retries=retries)
    assert server.requests == []


def test_per_call_retries_override_the_client() -> None:
    script = [Exchange(503), Exchange(503), OK]
    with ReplayServer(script) as server, make_client(server) as client:
        with pytest.raises(errors.ServiceUnavailableError) as caught:
            client.tracking_status.get("1", "usps", retries=RetryConfig("none"))
        assert caught.value.attempts == 1
        track = client.tracking_status.get("1", "usps")
    assert isinstance(track, Track)
    assert len(server.requests) == 3


@pytest.mark.parametrize("failures", [1, 4])
def test_pool_of_one_survives_retries(failures: int) -> None:
    # Unclosed discarded responses would hold the only connection, and the
    # next attempt would fail with PoolTimeout.
    script = [Exchange(503, repeat=failures), OK]
    limits = httpx.Limits(max_connections=1)
    with ReplayServer(script) as server:
        http = httpx.Client(base_url=server.url, limits=limits, timeout=2)
        config = RetryConfig("backoff", BACKOFF, max_attempts=failures + 1)
        with http, make_client(server, config=config, client=http) as client:
            track = client.tracking_status.get("1", "usps")
    assert track.tracking_number == "1"
    assert len(server.requests) == failures + 1
    assert server.connections_total == 1


def test_pool_of_one_survives_async_retries() -> None:
    script = [Exchange(503, repeat=3), OK]

    async def run(server: ReplayServer) -> Track:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(
            base_url=server.url, limits=limits, timeout=2
        ) as http:
            client = make_client(server, async_client=http)
            return await client.tracking_status.get_async("1", "usps")

    with ReplayServer(script) as server:
        track = asyncio.run(run(server))
    assert track.tracking_number == "1"
    assert server.connections_total == 1


def test_connection_refused_is_retried_even_for_post() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clock = FakeClock()
    client = Shippo(
        "shippo_test_x",
        server_url=f"http://127.0.0.1:{port}",
        retry_config=RetryConfig("backoff", BACKOFF, max_attempts=3),
        clock=clock,
        sleep=clock.sleep,
    )
    with client, pytest.raises(errors.APIConnectionError) as caught:
        client.tracking_status.create({"carrier": "usps", "tracking_number": "1"})
    assert caught.value.attempts == 3
    assert len(clock.sleeps) == 2
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


@pytest.mark.parametrize("fault", ["reset", "truncate"])
def test_get_is_retried_after_a_broken_response(fault: str) -> None:
    script = [Exchange(200, body=b'{"carrier": "usps"}', fault={fault: True}), OK]
    with ReplayServer(script) as server, make_client(server) as client:
        track = client.tracking_status.get("1", "usps")
    assert track.tracking_number == "1"
    assert len(server.requests) == 2


@pytest.mark.parametrize("fault", ["reset", "truncate"])
def test_post_is_not_resent_after_a_broken_response(fault: str) -> None:
    script = [Exchange(201, body=b'{"carrier": "usps"}', fault={fault: True}), OK]
    with (
        ReplayServer(script) as server,
        make_client(server) as client,
        pytest.raises(errors.APIConnectionError) as caught,
    ):
        client.tracking_status.create({"carrier": "usps", "tracking_number": "1"})
    assert caught.value.attempts == 1
    assert len(server.requests) == 1


def test_get_retried_after_body_timeout() -> None:
    stalled = Exchange(
        200,
        body=b'{"carrier": "usps", "x": 1}',
        fault={"stall_body_after_bytes_s": [5, 30]},
    )
    with (
        ReplayServer([stalled, OK]) as server,
        make_client(server, timeout_ms=200) as client,
    ):
        track = client.tracking_status.get("1", "usps")
    assert track.tracking_number == "1"
    assert len(server.requests) == 2


def test_each_retry_is_logged_without_the_key(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="shippo_client")
    script = [Exchange(503), Exchange(429, {"Retry-After": "2"}), OK]
    with ReplayServer(script) as server:
        clock = FakeClock()
        client = Shippo(
            "shippo_test_SECRETSECRET",
            server_url=server.url,
            retry_config=CONFIG,
            clock=clock,
            sleep=clock.sleep,
            rng=lambda: 0.5,
        )
        with client:
            client.tracking_status.get("9400", "usps")

    retries = [r for r in caplog.records if r.name == "shippo_client"]
    assert [r.levelno for r in retries] == [logging.INFO, logging.INFO]
    fields = [
        (r.shippo_attempt, r.shippo_method, r.shippo_path, r.shippo_outcome)  # type: ignore[attr-defined]
        for r in retries
    ]
    assert fields == [
        (1, "GET", "/tracks/usps/9400", "503"),
        (2, "GET", "/tracks/usps/9400", "429"),
    ]
    assert [r.shippo_sleep for r in retries] == [0.05, 2.0]  # type: ignore[attr-defined]
    assert "attempt 1" in retries[0].getMessage()
    assert "sleeping 0.050 s" in retries[0].getMessage()
    assert "SECRETSECRET" not in caplog.text


def test_giving_up_is_logged_with_the_reason(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="shippo_client")
    with (
        ReplayServer([Exchange(500)]) as server,
        make_client(server) as client,
        pytest.raises(errors.ServerError),
    ):
        client.tracking_status.create({"carrier": "usps", "tracking_number": "1"})
    (record,) = caplog.records
    assert "not retrying POST /tracks/" in record.getMessage()
    assert "POST is not retried after 500" in record.getMessage()


def test_async_and_sync_loops_decide_alike() -> None:
    script = [Exchange(502), Exchange(504), Exchange(429), OK]

    def sleeps(mode: str) -> tuple[list[float], int]:
        with ReplayServer(list(script)) as server:
            clock = FakeClock()
            client = Shippo(
                "shippo_test_x",
                server_url=server.url,
                retry_config=CONFIG,
                clock=clock,
                sleep=clock.sleep,
                async_sleep=clock.async_sleep,
                rng=lambda: 0.75,
            )
            if mode == "sync":
                with client:
                    client.tracking_status.get("1", "usps")
            else:
                asyncio.run(_get_async(client))
            return clock.sleeps, len(server.requests)

    assert sleeps("sync") == sleeps("async") == ([0.075, 0.15, 0.3], 4)


async def _get_async(client: Shippo) -> Track:
    async with client:
        return await client.tracking_status.get_async("1", "usps")


# max_elapsed_time bounds the retries, not only the decision to start one


def _slow_retry_script(clock: FakeClock) -> Any:
    """Answer 503, then answer the retry only after 40 s of the fake clock."""

    def respond(request: Any) -> Exchange:
        if clock.sleeps:
            clock.now += 40.0
            return OK
        return Exchange(503)

    return respond


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_retry_is_cut_at_max_elapsed_time(mode: str) -> None:
    backoff = BackoffStrategy(100, 1_000, 2.0, max_elapsed_time=30_000)
    clock = FakeClock()
    with ReplayServer(_slow_retry_script(clock)) as server:
        client = Shippo(
            "shippo_test_x",
            server_url=server.url,
            retry_config=RetryConfig("backoff", backoff, max_attempts=4),
            clock=clock,
            sleep=clock.sleep,
            async_sleep=clock.async_sleep,
            rng=lambda: 0.5,
        )
        with pytest.raises(errors.APITimeoutError) as caught:
            if mode == "sync":
                with client:
                    client.tracking_status.get("1", "usps")
            else:
                asyncio.run(_get_async(client))
    assert "max_elapsed_time" in str(caught.value)
    assert caught.value.attempts == 2
    assert len(server.requests) == 2


def test_first_attempt_has_no_deadline() -> None:
    backoff = BackoffStrategy(100, 1_000, 2.0, max_elapsed_time=0)
    clock = FakeClock()

    def respond(request: Any) -> Exchange:
        clock.now += 40.0
        return OK

    with ReplayServer(respond) as server:
        config = RetryConfig("backoff", backoff)
        with make_client(server, config=config) as client:
            track = client.tracking_status.get("1", "usps")
    assert track.tracking_number == "1"


def test_retry_timeouts_shrink_to_the_time_left() -> None:
    backoff = BackoffStrategy(1_000, 1_000, 1.0, max_elapsed_time=5_000)
    clock = FakeClock()
    timeouts: list[dict[str, float | None]] = []

    def handle(request: httpx.Request) -> httpx.Response:
        timeouts.append(dict(request.extensions["timeout"]))
        return httpx.Response(503)

    http = httpx.Client(transport=httpx.MockTransport(handle))
    client = Shippo(
        "shippo_test_x",
        server_url="http://127.0.0.1:9",
        client=http,
        timeout_ms=2_000,
        retry_config=RetryConfig("backoff", backoff, max_attempts=10),
        clock=clock,
        sleep=clock.sleep,
        rng=lambda: 1.0,
    )
    with http, pytest.raises(errors.ServiceUnavailableError):
        client.tracking_status.get("1", "usps")

    # Sleeps of 1 s each: the retries start at 1, 2, 3 and 4 s of 5 s.
    reads = [timeout["read"] for timeout in timeouts]
    assert reads == pytest.approx([2.0, 2.0, 2.0, 2.0, 1.0])
    assert timeouts[-1] == pytest.approx(
        {"connect": 1.0, "read": 1.0, "write": 1.0, "pool": 1.0}
    )
