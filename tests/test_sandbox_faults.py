"""The sandbox's rate limit and injected faults."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from shippo_client import RetryConfig, Shippo, errors
from shippo_client.sandbox import Sandbox
from shippo_client.sandbox._faults import Fault, FaultInjector, FaultRates, RateLimiter

AUTH = {"Authorization": "ShippoToken shippo_test_faults"}
PATH = "/tracks/shippo/SHIPPO_TRANSIT"


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _client(sandbox: Sandbox, key: str = "shippo_test_faults") -> httpx.Client:
    headers = {"Authorization": f"ShippoToken {key}"}
    return httpx.Client(base_url=sandbox.url, headers=headers)


def test_limiter_allows_burst_then_waits(clock: FakeClock) -> None:
    limiter = RateLimiter(60, clock)

    waits = [limiter.acquire("key") for _ in range(61)]

    assert waits[:60] == [0.0] * 60
    assert waits[60] == pytest.approx(1.0)


def test_limiter_refills_with_time(clock: FakeClock) -> None:
    limiter = RateLimiter(6, clock)
    for _ in range(6):
        limiter.acquire("key")

    clock.now += 10.0

    assert limiter.acquire("key") == 0.0
    assert limiter.acquire("key") == pytest.approx(10.0)


def test_limiter_separates_keys(clock: FakeClock) -> None:
    limiter = RateLimiter(1, clock)

    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("b") == 0.0
    assert limiter.acquire("a") > 0


def test_rate_limit_gives_429(clock: FakeClock) -> None:
    with (
        Sandbox(rate_limit_per_minute=3, clock=clock) as sandbox,
        _client(sandbox) as http,
    ):
        statuses = [http.get(PATH).status_code for _ in range(5)]
        limited = http.get(PATH)

    assert statuses == [200, 200, 200, 429, 429]
    assert limited.headers["retry-after"] == "20"
    assert limited.headers["content-type"].startswith("text/plain")
    assert int(limited.headers["content-length"]) == len(limited.content)
    with pytest.raises(ValueError):
        limited.json()


def test_rate_limit_recovers_after_wait(clock: FakeClock) -> None:
    with (
        Sandbox(rate_limit_per_minute=3, clock=clock) as sandbox,
        _client(sandbox) as http,
    ):
        for _ in range(3):
            http.get(PATH)
        before = http.get(PATH).status_code
        clock.now += 20.0
        after = http.get(PATH).status_code

    assert before == 429
    assert after == 200


def test_rate_limit_is_per_key(clock: FakeClock) -> None:
    with Sandbox(rate_limit_per_minute=1, clock=clock) as sandbox:
        with _client(sandbox, "shippo_test_a") as first:
            statuses = [first.get(PATH).status_code for _ in range(2)]
        with _client(sandbox, "shippo_test_b") as second:
            other = second.get(PATH).status_code

    assert statuses == [200, 429]
    assert other == 200


def test_client_raises_rate_limit_error(clock: FakeClock) -> None:
    no_retries = RetryConfig("none")
    with (
        Sandbox(rate_limit_per_minute=1, clock=clock) as sandbox,
        Shippo(
            "shippo_test_x", server_url=sandbox.url, retry_config=no_retries
        ) as client,
    ):
        client.tracking_status.get(tracking_number="SHIPPO_TRANSIT", carrier="shippo")
        with pytest.raises(errors.RateLimitError) as caught:
            client.tracking_status.get(
                tracking_number="SHIPPO_TRANSIT", carrier="shippo"
            )

    assert caught.value.status_code == 429


def test_injector_rates_near_configured() -> None:
    rates = FaultRates(rate_limited=100, server_error=50, stall=20)
    injector = FaultInjector(rates, seed=7)

    counts = Counter(injector.draw() for _ in range(20_000))

    # Expected 2000, 1000 and 400; the bounds are about five standard deviations.
    assert 1780 <= counts[Fault.RATE_LIMITED] <= 2220
    assert 850 <= counts[Fault.BAD_GATEWAY] + counts[Fault.SERVICE_UNAVAILABLE] <= 1150
    assert counts[Fault.BAD_GATEWAY] > 0
    assert counts[Fault.SERVICE_UNAVAILABLE] > 0
    assert 300 <= counts[Fault.STALL] <= 500


def test_injector_repeats_with_same_seed() -> None:
    rates = FaultRates(rate_limited=300, server_error=300)

    runs = []
    for _ in range(2):
        injector = FaultInjector(rates, seed=3)
        runs.append([injector.draw() for _ in range(200)])

    assert runs[0] == runs[1]
    assert None in runs[0]
    assert Fault.RATE_LIMITED in runs[0]


def test_injector_off_by_default() -> None:
    injector = FaultInjector(FaultRates(), seed=None)

    assert all(injector.draw() is None for _ in range(1000))


@pytest.mark.parametrize(
    "settings",
    [
        {"fault_429_permille": -1},
        {"fault_5xx_permille": 1001},
        {"fault_429_permille": 600, "fault_5xx_permille": 500},
        {"rate_limit_per_minute": 0},
        {"stall_seconds": -1.0},
        {"advance_interval_s": float("nan")},
        {"api_key": "two words"},
    ],
)
def test_invalid_settings_rejected(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Sandbox(**settings)  # type: ignore[arg-type]


@pytest.fixture
def faulty() -> Iterator[Sandbox]:
    with Sandbox(fault_429_permille=100, fault_5xx_permille=100, seed=11) as sandbox:
        yield sandbox


def test_server_faults_near_configured(faulty: Sandbox) -> None:
    with _client(faulty) as http:
        responses = [http.get(PATH) for _ in range(600)]

    statuses = Counter(response.status_code for response in responses)
    # Expected 60 of each; the bounds are about four standard deviations.
    assert 30 <= statuses[429] <= 90
    assert 30 <= statuses[502] + statuses[503] <= 90
    assert statuses[200] == 600 - statuses[429] - statuses[502] - statuses[503]
    assert faulty.request_count == 600


def test_server_fault_bodies(faulty: Sandbox) -> None:
    with _client(faulty) as http:
        responses = [http.get(PATH) for _ in range(300)]

    for response in responses:
        assert int(response.headers["content-length"]) == len(response.content)
        if response.status_code in (502, 503):
            assert response.headers["content-type"].startswith("text/html")
            assert response.text.startswith("<html>")
        if response.status_code == 429:
            assert response.headers["retry-after"] == "1"
            assert response.headers["content-type"].startswith("text/plain")


def test_same_seed_same_fault_sequence() -> None:
    runs = []
    for _ in range(2):
        with (
            Sandbox(fault_5xx_permille=300, seed=5) as sandbox,
            _client(sandbox) as http,
        ):
            runs.append([http.get(PATH).status_code for _ in range(50)])

    assert runs[0] == runs[1]
    assert set(runs[0]) > {200}


def test_stall_delays_then_responds(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="shippo_client.sandbox")
    settings = {"fault_stall_permille": 1000, "stall_seconds": 0.0, "seed": 1}
    with Sandbox(**settings) as sandbox, _client(sandbox) as http:  # type: ignore[arg-type]
        response = http.get(PATH)

    assert response.status_code == 200
    assert any("stalling" in record.getMessage() for record in caplog.records)


def test_stop_ends_stalled_request() -> None:
    sandbox = Sandbox(fault_stall_permille=1000, stall_seconds=600.0).start()
    # The stall waits on the stop event, so stop() returns without waiting
    # ten minutes, and the stalled client gets a response or a closed socket.
    with _client(sandbox) as http:
        outcome: list[object] = []

        def call() -> None:
            try:
                outcome.append(http.get(PATH).status_code)
            except httpx.HTTPError as exc:
                outcome.append(type(exc))

        caller = threading.Thread(target=call)
        caller.start()
        while sandbox.connection_count == 0:
            caller.join(0.01)
        sandbox.stop()
        caller.join(10)

    assert not caller.is_alive()
    assert len(outcome) == 1


def test_request_log_has_no_key(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="shippo_client.sandbox")
    with Sandbox() as sandbox, _client(sandbox, "shippo_test_secretvalue") as http:
        http.get(PATH)
        http.get("/tracks/usps/1")

    lines = [record.getMessage() for record in caplog.records]
    assert any(PATH in line and "200" in line for line in lines)
    assert not any("secretvalue" in line for line in lines)
