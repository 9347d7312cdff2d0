"""A bounded soak: 2,000 sync and async calls against a faulty loopback server.

About 40 % of the responses are faults: connection resets, stalls before the
headers and inside the body, truncated and HTML bodies, 429 with both
Retry-After forms, and 5XX. Every call must end with the right Track or the
typed error that matches the last response it got; no call may hang; no POST
may be sent again after a response that Shippo may have acted on; and no
connection may stay open once the clients are closed. Sleep is injected as
zero, and timeouts are short, so the soak takes seconds.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from casereplay import Exchange, Recorded, ReplayServer
from shippo_client import BackoffStrategy, RetryConfig, Shippo, errors
from shippo_client.models import Track
from shippo_client.utils import RetryBudget

CALLS_PER_MODE = 1_000
MAX_ATTEMPTS = 4
TIMEOUT_MS = 250
STALL_S = 3.0
JSON = {"Content-Type": "application/json"}

# (kind, weight): the share of responses of each kind, in percent.
MIX = [
    ("ok", 60),
    ("500", 4),
    ("502", 3),
    ("503", 5),
    ("504", 3),
    ("429-seconds", 5),
    ("429-date", 3),
    ("reset", 4),
    ("truncate", 4),
    ("html", 3),
    ("stall-headers", 3),
    ("stall-body", 3),
]

# Responses after which Shippo may have processed a POST.
MAY_HAVE_ARRIVED = {
    "500",
    "502",
    "503",
    "504",
    "reset",
    "truncate",
    "html",
    "stall-headers",
    "stall-body",
    "ok",
}

EXPECTED_ERROR: dict[str, type[errors.ShippoError]] = {
    "500": errors.ServerError,
    "502": errors.ServerError,
    "503": errors.ServiceUnavailableError,
    "504": errors.ServerError,
    "429-seconds": errors.RateLimitError,
    "429-date": errors.RateLimitError,
    "reset": errors.APIConnectionError,
    "truncate": errors.APIConnectionError,
    "html": errors.ResponseValidationError,
    "stall-headers": errors.APITimeoutError,
    "stall-body": errors.APITimeoutError,
}


def track_body(number: str) -> dict[str, Any]:
    return {
        "carrier": "usps",
        "tracking_number": number,
        "tracking_status": None,
        "tracking_history": [],
        "messages": [],
    }


class FaultyShippo:
    """A responder that picks a random kind from MIX and logs it per number."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.log: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def __call__(self, request: Recorded) -> Exchange:
        number = _number(request)
        with self._lock:
            kind = self._random.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
            self.log[number].append((request.method, kind))
        return _exchange(kind, request.method, number)


def _number(request: Recorded) -> str:
    if request.method == "POST":
        return str(json.loads(request.body)["tracking_number"])
    return request.target.rsplit("/", 1)[1]


def _exchange(kind: str, method: str, number: str) -> Exchange:
    body = json.dumps(track_body(number)).encode()
    ok_status = 201 if method == "POST" else 200
    if kind == "ok":
        return Exchange(ok_status, JSON, body)
    if kind.isdigit():
        return Exchange(int(kind), JSON, {"detail": "Server error."})
    if kind == "429-seconds":
        return Exchange(429, {"Retry-After": "0", **JSON}, {"detail": "Throttled."})
    if kind == "429-date":
        now = email.utils.formatdate(usegmt=True)
        return Exchange(429, {"Retry-After": now, "Date": now}, "<p>slow down</p>")
    if kind == "html":
        return Exchange(ok_status, {"Content-Type": "text/html"}, "<html>oops</html>")
    faults = {
        "reset": {"reset": True},
        "truncate": {"truncate": True},
        "stall-headers": {"delay_headers_s": STALL_S},
        "stall-body": {"stall_body_after_bytes_s": [10, STALL_S]},
    }
    return Exchange(ok_status, JSON, body, fault=faults[kind])


@dataclass
class Call:
    method: str
    number: str
    result: Track | BaseException | None = None


def plan(prefix: str) -> list[Call]:
    methods = ["GET", "POST"]
    return [Call(methods[i % 2], f"{prefix}{i:05d}") for i in range(CALLS_PER_MODE)]


def make_client(url: str, **kwargs: Any) -> Shippo:
    async def no_async_sleep(seconds: float) -> None:
        await asyncio.sleep(0)

    config = RetryConfig(
        "backoff", BackoffStrategy(10, 100, 2.0, 60_000), max_attempts=MAX_ATTEMPTS
    )
    return Shippo(
        "shippo_test_soak",
        server_url=url,
        timeout_ms=TIMEOUT_MS,
        retry_config=config,
        retry_budget=RetryBudget(capacity=10**9),
        sleep=lambda seconds: None,
        async_sleep=no_async_sleep,
        **kwargs,
    )


def run_sync(url: str, calls: list[Call]) -> None:
    limits = httpx.Limits(max_connections=8)
    with (
        httpx.Client(base_url=url, limits=limits) as http,
        make_client(url, client=http) as client,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        futures = [pool.submit(_sync_call, client, call) for call in calls]
        _, pending = wait_all(futures, timeout=120)
        assert not pending, f"{len(pending)} sync calls hung"


def _sync_call(client: Shippo, call: Call) -> None:
    status = client.tracking_status
    try:
        if call.method == "GET":
            call.result = status.get(call.number, "usps")
        else:
            request = {"carrier": "usps", "tracking_number": call.number}
            call.result = status.create(request)
    except Exception as exc:
        call.result = exc


async def run_async(url: str, calls: list[Call]) -> None:
    limits = httpx.Limits(max_connections=8)
    async with httpx.AsyncClient(base_url=url, limits=limits) as http:
        client = make_client(url, async_client=http)
        gate = asyncio.Semaphore(16)
        tasks = [_async_call(client, call, gate) for call in calls]
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
        await client.aclose()


async def _async_call(client: Shippo, call: Call, gate: asyncio.Semaphore) -> None:
    status = client.tracking_status
    async with gate:
        try:
            if call.method == "GET":
                call.result = await status.get_async(call.number, "usps")
            else:
                request = {"carrier": "usps", "tracking_number": call.number}
                call.result = await status.create_async(request)
        except Exception as exc:
            call.result = exc


def check_call(call: Call, answers: list[tuple[str, str]]) -> None:
    assert answers, f"{call.number}: no request reached the server"
    assert all(method == call.method for method, _ in answers)
    last = answers[-1][1]
    if isinstance(call.result, Track):
        assert call.result.tracking_number == call.number
        assert last == "ok", f"{call.number}: a Track after {last}"
        return

    error = call.result
    assert isinstance(error, errors.ShippoError), f"{call.number}: {error!r}"
    if isinstance(error, errors.APITimeoutError):
        # On a busy machine any answer can be late; the type is still right.
        return
    expected = EXPECTED_ERROR.get(last)
    assert expected is not None, f"{call.number}: {error!r} after {last}"
    assert isinstance(error, expected), f"{call.number}: {error!r} after {last}"
    # An attempt that timed out connecting never reached the server, so a
    # loaded machine can count more attempts than the server saw.
    attempts = getattr(error, "attempts", 0)
    assert len(answers) <= attempts <= MAX_ATTEMPTS, (
        f"{call.number}: {error!r} after {answers}"
    )


def check_post_never_repeated(answers: list[tuple[str, str]]) -> None:
    for _, earlier in answers[:-1]:
        assert earlier not in MAY_HAVE_ARRIVED, f"POST sent again after {earlier}"


@pytest.mark.slow
def test_soak() -> None:
    responder = FaultyShippo(seed=20_261_204)
    sync_calls, async_calls = plan("S"), plan("A")
    with ReplayServer(responder) as server:
        run_sync(server.url, sync_calls)
        asyncio.run(run_async(server.url, async_calls))
        assert server.wait_idle(timeout=10), "connections left open"

    for call in sync_calls + async_calls:
        answers = responder.log[call.number]
        check_call(call, answers)
        if call.method == "POST":
            check_post_never_repeated(answers)

    kinds = [kind for answers in responder.log.values() for _, kind in answers]
    faults = sum(kind != "ok" for kind in kinds)
    assert faults / len(kinds) >= 0.30
    assert set(kinds) == {kind for kind, _ in MIX}
    _assert_every_outcome_seen(sync_calls + async_calls)


def _assert_every_outcome_seen(calls: list[Call]) -> None:
    seen: set[type] = {type(call.result) for call in calls}
    expected: list[type] = [
        Track,
        errors.ServerError,
        errors.RateLimitError,
        errors.APIConnectionError,
        errors.APITimeoutError,
        errors.ResponseValidationError,
    ]
    missing = [cls.__name__ for cls in expected if not any(_sub(s, cls) for s in seen)]
    assert not missing, f"the soak never produced {missing}"


def _sub(cls: type, parent: type) -> bool:
    return issubclass(cls, parent)
