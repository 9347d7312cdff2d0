"""Every failure case in shared/cases/, replayed through the public API.

Each case's exchanges are served by casereplay.ReplayServer on 127.0.0.1, and
the call runs twice, through the sync and the async method. Sleep and the
clock are injected (FakeClock), so Retry-After and backoff cases run in no
time and their delays are checked exactly.
"""

from __future__ import annotations

import asyncio
import json
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from casereplay import (
    Exchange,
    FakeClock,
    ReplayServer,
    case_ids,
    exchanges_from_case,
    load_case,
)
from shippo_client import BackoffStrategy, RetryConfig, Shippo, errors
from shippo_client._retries import DEFAULT_RETRY_CONFIG
from shippo_client.models import Track
from shippo_client.models.components import UNSET

TESTED_CASES = {
    "BUG-01",
    "BUG-02",
    "BUG-03",
    "BUG-05",
    "BUG-07",
    "BUG-08",
    "BUG-09",
    "BUG-10",
    "BUG-11",
    "BUG-12",
    "BUG-14",
    "BUG-15",
    "BUG-16",
    "BUG-21",
    "BUG-22",
    "BUG-24",
    "BUG-25",
    "BUG-28",
    "BUG-29",
    "BUG-32",
}


def retry_config(settings: dict[str, Any]) -> RetryConfig:
    """Map a case's generic client settings to the package's RetryConfig."""
    base = DEFAULT_RETRY_CONFIG
    assert base.backoff is not None
    backoff = BackoffStrategy(
        initial_interval=_ms(
            settings.get("backoff_initial_s"), base.backoff, "initial"
        ),
        max_interval=_ms(settings.get("backoff_max_s"), base.backoff, "max"),
        exponent=base.backoff.exponent,
        max_elapsed_time=_ms(settings.get("max_elapsed_s"), base.backoff, "elapsed"),
    )
    attempts = settings.get("max_retries", base.max_attempts - 1) + 1
    return RetryConfig("backoff", backoff, max_attempts=attempts)


def _ms(seconds: float | None, default: BackoffStrategy, name: str) -> int:
    if seconds is not None:
        return int(seconds * 1000)
    return {
        "initial": default.initial_interval,
        "max": default.max_interval,
        "elapsed": default.max_elapsed_time,
    }[name]


@dataclass
class Outcome:
    result: Track | None
    error: BaseException | None
    server: ReplayServer
    clock: FakeClock
    client: Shippo


def run_case(
    case: dict[str, Any],
    mode: str,
    *,
    exchanges: list[Exchange] | None = None,
    rng: Callable[[], float] = lambda: 0.5,
    **overrides: Any,
) -> Outcome:
    """Serve the case's exchanges and make its call; return what happened."""
    call = case["call"]
    settings = call["client"]
    clock = FakeClock()
    script = exchanges if exchanges is not None else exchanges_from_case(case)
    with ReplayServer(script) as server:
        options: dict[str, Any] = {
            "server_url": server.url,
            "retry_config": retry_config(settings),
            "clock": clock,
            "sleep": clock.sleep,
            "async_sleep": clock.async_sleep,
            "rng": rng,
        }
        if "timeout_s" in settings:
            options["timeout_ms"] = int(settings["timeout_s"] * 1000)
        options.update(overrides)
        client = Shippo(settings["api_key"], **options)
        result, error = _call(client, call, mode)
        assert server.wait_idle(), "a connection stayed open after close()"
    return Outcome(result, error, server, clock, client)


def _call(
    client: Shippo, call: dict[str, Any], mode: str
) -> tuple[Track | None, BaseException | None]:
    try:
        if mode == "sync":
            with client:
                return _sync_call(client, call), None
        return asyncio.run(_async_call(client, call)), None
    except errors.ShippoError as exc:
        return None, exc


def _sync_call(client: Shippo, call: dict[str, Any]) -> Track:
    if call["op"] == "get":
        return client.tracking_status.get(call["tracking_number"], call["carrier"])
    return client.tracking_status.create(_tracks_request(call))


async def _async_call(client: Shippo, call: dict[str, Any]) -> Track:
    async with client:
        status = client.tracking_status
        if call["op"] == "get":
            return await status.get_async(call["tracking_number"], call["carrier"])
        return await status.create_async(_tracks_request(call))


def _tracks_request(call: dict[str, Any]) -> dict[str, Any]:
    keys = ("carrier", "tracking_number", "metadata")
    return {key: call[key] for key in keys if key in call}


def track_of(outcome: Outcome) -> Track:
    assert outcome.error is None, f"unexpected error: {outcome.error!r}"
    assert outcome.result is not None
    return outcome.result


def error_of(outcome: Outcome, cls: type[BaseException]) -> Any:
    assert outcome.result is None, "expected an error, got a Track"
    assert isinstance(outcome.error, cls), f"got {outcome.error!r}"
    return outcome.error


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_case_file_has_a_test() -> None:
    assert set(case_ids()) == TESTED_CASES


def test_bug_01_missing_status_date_and_empty_servicelevel(mode: str) -> None:
    outcome = run_case(load_case("BUG-01"), mode)
    track = track_of(outcome)

    assert track.tracking_status is not None
    assert track.tracking_status.status_date in (None, UNSET)
    assert track.tracking_history[0].status_date in (None, UNSET)
    assert track.servicelevel is not None
    assert track.servicelevel.name in (None, UNSET)
    assert track.servicelevel.token in (None, UNSET)
    assert len(outcome.server.requests) == 1


def test_bug_02_absent_object_and_empty_strings(mode: str) -> None:
    track = track_of(run_case(load_case("BUG-02"), mode))

    assert track.address_from in (None, UNSET)
    assert track.address_to is not None
    assert track.address_to.zip_ == ""
    location = track.tracking_status.location
    assert (location.city, location.state, location.zip_, location.country) == (
        "",
        "",
        "",
        "",
    )
    assert track.tracking_history == []
    assert track.transaction in (None, UNSET)
    assert track.metadata in (None, UNSET)
    assert track.eta in (None, UNSET)


@pytest.mark.parametrize("status", [200, 201])
def test_bug_03_post_accepts_200_and_201(mode: str, status: int) -> None:
    case = load_case("BUG-03")
    exchanges = exchanges_from_case(case)
    exchanges[0].status = status
    outcome = run_case(case, mode, exchanges=exchanges)
    track = track_of(outcome)

    assert track.tracking_status.status == "PRE_TRANSIT"
    (sent,) = outcome.server.requests
    assert (sent.method, sent.target) == ("POST", "/tracks/")
    assert json.loads(sent.body) == {
        "carrier": "ups",
        "tracking_number": "1ZTEST00000000000002",
        "metadata": "order-2002",
    }


def test_bug_05_unknown_status_keeps_raw_value(mode: str) -> None:
    track = track_of(run_case(load_case("BUG-05"), mode))

    assert track.tracking_status.status == "AVAILABLE_FOR_PICKUP"
    assert str(track.tracking_status.status) == "AVAILABLE_FOR_PICKUP"
    first = track.tracking_history[0].status
    assert first == "TRANSIT"
    assert type(first).__name__ == "TrackingStatusEnum"


def test_bug_07_type_drift_is_typed_error(mode: str) -> None:
    case = load_case("BUG-07")
    outcome = run_case(case, mode, shippo_api_version="2018-02-08")
    error = error_of(outcome, errors.ResponseValidationError)

    assert isinstance(error, errors.ShippoError)
    assert error.status_code == 200
    assert '"tracking_status": "DELIVERED"' in error.body
    assert not isinstance(error, ValueError | TypeError | AttributeError)
    assert outcome.server.requests[0].headers["shippo-api-version"] == "2018-02-08"
    assert len(outcome.server.requests) == 1


def test_bug_08_redirect_names_location(mode: str) -> None:
    outcome = run_case(load_case("BUG-08"), mode)
    error = error_of(outcome, errors.UnexpectedRedirectError)

    location = "https://other-host.example.test/v2/tracks/usps/9400TEST000000000003"
    assert isinstance(error, errors.UnexpectedStatusError)
    assert error.status_code == 301
    assert error.location == location
    assert location in str(error)
    assert error.data is None
    assert "Moved Permanently" in error.body
    assert len(outcome.server.requests) == 1


def test_bug_09_rate_limit_with_html_body(mode: str) -> None:
    outcome = run_case(load_case("BUG-09"), mode)
    error = error_of(outcome, errors.RateLimitError)

    assert error.status_code == 429
    assert error.retry_after is None
    assert error.body == "<html><body>Too Many Requests</body></html>"
    assert not isinstance(error.__cause__, json.JSONDecodeError)
    assert len(outcome.server.requests) == 1


def test_bug_10_field_errors_of_a_400(mode: str) -> None:
    error = error_of(run_case(load_case("BUG-10"), mode), errors.BadRequestError)

    assert error.status_code == 400
    assert error.field_errors == {
        "carrier": ["Invalid value specified for provider 'shippo'"]
    }
    assert error.detail is None
    assert "Invalid value specified for provider" in error.message
    assert "Invalid value specified for provider" in str(error)


def test_bug_11_null_eta(mode: str) -> None:
    track = track_of(run_case(load_case("BUG-11"), mode))

    assert track.eta is None
    assert track.original_eta is None


def test_bug_12_null_objects(mode: str) -> None:
    track = track_of(run_case(load_case("BUG-12"), mode))

    assert track.tracking_status is None
    assert track.address_from is None
    assert track.address_to is None
    assert track.servicelevel is None
    assert track.tracking_history == []


def test_bug_14_path_parameters_are_one_encoded_segment(mode: str) -> None:
    outcome = run_case(load_case("BUG-14"), mode)
    track = track_of(outcome)

    assert outcome.server.requests[0].target == "/tracks/usps/AB%2F12%203%3F%23"
    assert track.tracking_number == "AB/12 3?#"


def test_bug_14_carrier_is_encoded_the_same_way(mode: str) -> None:
    case = load_case("BUG-14")
    case["call"]["carrier"] = "a/b c?#"
    outcome = run_case(case, mode)

    assert (
        outcome.server.requests[0].target == "/tracks/a%2Fb%20c%3F%23/AB%2F12%203%3F%23"
    )


@pytest.mark.parametrize(
    "content_type", ["text/html", "text/plain", "application/json", None]
)
def test_bug_15_html_body_of_a_400(mode: str, content_type: str | None) -> None:
    case = load_case("BUG-15")
    exchanges = exchanges_from_case(case)
    exchanges[0].headers = {"Content-Type": content_type} if content_type else {}
    error = error_of(run_case(case, mode, exchanges=exchanges), errors.BadRequestError)

    assert error.status_code == 400
    assert error.body == case["exchanges"][0]["body"]
    assert error.data is None
    assert "Request blocked by gateway" in str(error)
    assert "\n" not in str(error)


def test_bug_16_404_raises_not_found(mode: str) -> None:
    error = error_of(run_case(load_case("BUG-16"), mode), errors.NotFoundError)

    assert error.status_code == 404
    assert error.detail == "Not found."
    assert error.message == "Not found."


def test_bug_21_retry_after_http_date(mode: str) -> None:
    outcome = run_case(load_case("BUG-21"), mode)
    track = track_of(outcome)

    assert track.tracking_status.status == "TRANSIT"
    assert len(outcome.server.requests) == 2
    assert outcome.clock.sleeps == [3.0]


def test_bug_22_retry_after_seconds_on_503(mode: str) -> None:
    outcome = run_case(load_case("BUG-22"), mode)
    track_of(outcome)

    assert len(outcome.server.requests) == 2
    assert outcome.clock.sleeps == [2.0]


def test_bug_24_post_not_retried_after_500(mode: str) -> None:
    outcome = run_case(load_case("BUG-24"), mode)
    error = error_of(outcome, errors.ServerError)

    assert error.status_code == 500
    assert error.attempts == 1
    assert [r.method for r in outcome.server.requests] == ["POST"]
    assert outcome.clock.sleeps == []


def test_bug_24_post_retried_on_opt_in(mode: str) -> None:
    case = load_case("BUG-24")
    config = RetryConfig(
        "backoff",
        BackoffStrategy(10, 100, 2.0, 10_000),
        max_attempts=4,
        retry_non_idempotent=True,
    )
    outcome = run_case(case, mode, retry_config=config)

    assert track_of(outcome).tracking_number == "9400TEST000000000006"
    assert [r.method for r in outcome.server.requests] == ["POST", "POST"]


def test_bug_25_retried_post_resends_the_same_body(mode: str) -> None:
    outcome = run_case(load_case("BUG-25"), mode)
    track_of(outcome)

    first, second = outcome.server.requests
    assert first.body == second.body
    assert json.loads(first.body) == {
        "carrier": "usps",
        "tracking_number": "9400TEST000000000007",
        "metadata": "order-7007",
    }
    for sent in (first, second):
        assert sent.method == "POST"
        assert sent.headers["content-type"] == "application/json"
        assert sent.headers["content-length"] == str(len(first.body))
    assert outcome.clock.sleeps == [0.0]


def test_bug_28_timeout_applies(mode: str) -> None:
    outcome = run_case(load_case("BUG-28"), mode)
    error = error_of(outcome, errors.APITimeoutError)

    assert isinstance(error, TimeoutError)
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert error.attempts == 1
    assert len(outcome.server.requests) == 1


NO_RETRIES = RetryConfig("none")


def test_bug_28_per_call_timeout_overrides_the_client(mode: str) -> None:
    case = load_case("BUG-28")
    exchanges = exchanges_from_case(case)
    with ReplayServer(exchanges) as server:
        client = Shippo("shippo_test_x", server_url=server.url, timeout_ms=120_000)
        status = client.tracking_status
        with pytest.raises(errors.APITimeoutError):
            if mode == "sync":
                with client:
                    status.get("1", "usps", timeout_ms=200, retries=NO_RETRIES)
            else:
                coroutine = _get_async_and_close(
                    client, timeout_ms=200, retries=NO_RETRIES
                )
                asyncio.run(coroutine)
    assert len(server.requests) == 1


async def _get_async_and_close(client: Shippo, **kwargs: Any) -> Track:
    async with client:
        return await client.tracking_status.get_async("1", "usps", **kwargs)


def test_bug_28_default_timeout_is_finite() -> None:
    client = Shippo("shippo_test_x")
    request = client.tracking_status._get_request(client.http, "1", "usps", None)
    timeouts = request.extensions["timeout"]

    assert set(timeouts) == {"connect", "read", "write", "pool"}
    assert all(value is not None and 0 < value <= 120 for value in timeouts.values())
    client.close()


def test_bug_29_gives_up_before_max_elapsed_time(mode: str) -> None:
    outcome = run_case(load_case("BUG-29"), mode, rng=lambda: 1.0)
    error = error_of(outcome, errors.ServiceUnavailableError)

    requests = len(outcome.server.requests)
    assert error.status_code == 503
    assert error.attempts == requests
    assert requests < 11
    assert sum(outcome.clock.sleeps) <= 5.0
    # 0.5 + 1 + 2 = 3.5 s slept; the next 4 s would end at 7.5 s.
    assert outcome.clock.sleeps == [0.5, 1.0, 2.0]
    assert requests == 4


SECRET = "FAKEKEY00000000"


def test_bug_32_the_key_appears_nowhere(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    outcome = run_case(load_case("BUG-32"), mode)
    error = error_of(outcome, errors.AuthenticationError)

    assert error.status_code == 401
    assert error.detail == "Invalid token."
    request = error.raw_response.request
    places = [
        str(error),
        repr(error),
        repr(outcome.client),
        str(outcome.client.__dict__),
        str(request.headers),
        str(error.headers),
        error.body,
        "".join(traceback.format_exception(error)),
        caplog.text,
    ]
    for text in places:
        assert SECRET not in text
    assert "shippo_test_****" in repr(outcome.client)
    assert "authorization" not in request.headers


def test_case_server_reports_overruns() -> None:
    # The replay server itself must notice a client that sends too much.
    case = load_case("BUG-16")
    with (
        ReplayServer(exchanges_from_case(case)) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        client.get("/tracks/usps/a")
        extra = client.get("/tracks/usps/b")
    assert extra.status_code == 599
    assert server.overruns == 1


# Each fault class beyond the one input of its case


def _ok_case(body: Any) -> dict[str, Any]:
    case = load_case("BUG-11")
    case["exchanges"] = [{"status": 200, "headers": {}, "body": body}]
    return case


def _nullable_paths() -> list[tuple[str, ...]]:
    """Every optional field of a full Track, as a path from the root."""
    top = [
        "eta",
        "original_eta",
        "servicelevel",
        "metadata",
        "address_from",
        "address_to",
        "transaction",
        "test",
        "tracking_status",
        "messages",
    ]
    status = ["status_details", "status_date", "substatus", "location"]
    paths = [(name,) for name in top]
    paths += [("tracking_status", name) for name in status]
    paths += [("tracking_history", 0, name) for name in status]
    paths += [("servicelevel", name) for name in ("name", "token")]
    paths += [("address_to", name) for name in ("city", "state", "zip", "country")]
    paths += [
        ("tracking_status", "location", name)
        for name in ("city", "state", "zip", "country")
    ]
    return paths


def _full_body() -> dict[str, Any]:
    body: dict[str, Any] = load_case("BUG-21")["exchanges"][1]["body"]
    body["tracking_history"] = [dict(body["tracking_status"])]
    return body


def _set(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    target = body
    for step in path[:-1]:
        target = target[step]
    if value is _ABSENT:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


_ABSENT = object()


@pytest.mark.parametrize(
    "path", _nullable_paths(), ids=lambda path: "/".join(map(str, path))
)
@pytest.mark.parametrize("value", [None, _ABSENT], ids=["null", "absent"])
def test_every_optional_field_may_be_null_or_absent(
    path: tuple[Any, ...], value: Any
) -> None:
    body = _set(_full_body(), path, value)
    outcome = run_case(_ok_case(body), "sync")
    if value is _ABSENT and path[-1] == "status_details":
        # Required, though nullable, in openapi.yaml: absent is a bad body.
        error = error_of(outcome, errors.ResponseValidationError)
        assert "status_details" in error.message
        return
    track = track_of(outcome)

    target: Any = track
    for step in path:
        if isinstance(step, int):
            target = target[step]
        else:
            target = getattr(target, "zip_" if step == "zip" else step)
    assert target is None or target is UNSET


def test_all_optional_fields_null_at_once() -> None:
    body = _full_body()
    # Deepest first, so that a parent is nulled after its children.
    for path in sorted(_nullable_paths(), key=len, reverse=True):
        _set(body, path, None)
    track = track_of(run_case(_ok_case(body), "sync"))
    assert track.tracking_history[0].location is None
    assert track.tracking_status is None
    assert track.eta is None


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("tracking_status", "status"), "HELD_AT_CUSTOMS"),
        (("tracking_status", "substatus", "code"), "drone_delivery"),
        (("tracking_history", 0, "status"), ""),
    ],
)
def test_unknown_enum_values_are_kept(path: tuple[Any, ...], value: str) -> None:
    body = _set(_full_body(), path, value)
    track = track_of(run_case(_ok_case(body), "sync"))
    target: Any = track
    for step in path:
        target = target[step] if isinstance(step, int) else getattr(target, step)
    assert target == value


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("tracking_status",), "DELIVERED"),
        (("tracking_status",), []),
        (("tracking_history",), {"status": "TRANSIT"}),
        (("tracking_history",), None),
        (("address_from",), "Springfield"),
        (("servicelevel",), ["Priority"]),
        (("eta",), "next tuesday"),
        (("eta",), 1717200000),
        (("carrier",), None),
        (("tracking_number",), 123),
        (("test",), "false"),
        (("messages",), "none"),
        (("tracking_status", "object_id"), None),
        (("tracking_status", "location"), "IL"),
        (("tracking_status", "substatus", "action_required"), "no"),
    ],
    ids=lambda item: repr(item)[:30],
)
def test_type_drift_anywhere_is_a_validation_error(
    path: tuple[Any, ...], value: Any
) -> None:
    body = _set(_full_body(), path, value)
    error = error_of(run_case(_ok_case(body), "sync"), errors.ResponseValidationError)
    assert error.status_code == 200
    assert json.loads(error.body) == body


@pytest.mark.parametrize("status", [200, 201, 202, 203])
def test_every_success_status_parses(status: int) -> None:
    for op in ("get", "post"):
        case = load_case("BUG-03")
        case["call"]["op"] = op
        case["exchanges"][0]["status"] = status
        assert track_of(run_case(case, "sync")).tracking_number
