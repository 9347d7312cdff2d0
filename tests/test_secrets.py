"""The API key stays out of every repr, str, exception, traceback and log line."""

from __future__ import annotations

import asyncio
import gzip
import logging
import socket
import traceback
from typing import Any

import httpx
import pytest

from casereplay import Exchange, FakeClock, ReplayServer
from shippo_client import RetryConfig, Shippo, errors
from shippo_client._auth import ApiKey

KEY = "shippo_test_0123456789abcdefSECRET"
SECRET = "0123456789abcdefSECRET"
JSON = {"Content-Type": "application/json"}
TRACK = {
    "carrier": "usps",
    "tracking_number": "9400",
    "tracking_status": None,
    "tracking_history": [],
    "eta": None,
}


def everything_about(error: BaseException, client: Shippo, logs: str) -> list[str]:
    texts = [
        str(error),
        repr(error),
        repr(client),
        str(client),
        str(vars(client)),
        "".join(traceback.format_exception(error)),
        logs,
    ]
    for exc in (error, error.__cause__, error.__context__):
        if exc is None:
            continue
        texts.append(repr(vars(exc)))
        texts.extend(_request_texts(exc))
    return texts


def _request_texts(exc: BaseException) -> list[str]:
    texts = []
    response = getattr(exc, "raw_response", None)
    if response is not None:
        texts += [str(response.request.headers), response.text, repr(response)]
    try:
        request = exc.request  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):
        return texts
    return [*texts, str(request.headers.raw)]


def fail(
    script: list[Exchange] | None, caplog: pytest.LogCaptureFixture, **kwargs: Any
) -> tuple[BaseException, Shippo]:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    server = ReplayServer(script) if script is not None else None
    url = server.url if server is not None else f"http://127.0.0.1:{_closed_port()}"
    if server is not None:
        server.__enter__()
    client = Shippo(KEY, server_url=url, clock=clock, sleep=clock.sleep, **kwargs)
    try:
        with client, pytest.raises(errors.ShippoError) as caught:
            client.tracking_status.get("9400", "usps")
    finally:
        if server is not None:
            server.close()
    return caught.value, client


def fail_async(
    script: list[Exchange], caplog: pytest.LogCaptureFixture, **kwargs: Any
) -> tuple[BaseException, Shippo]:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()

    async def run(client: Shippo) -> None:
        async with client:
            await client.tracking_status.get_async("9400", "usps")

    with ReplayServer(script) as server:
        client = Shippo(
            KEY,
            server_url=server.url,
            clock=clock,
            async_sleep=clock.async_sleep,
            **kwargs,
        )
        with pytest.raises(errors.ShippoError) as caught:
            asyncio.run(run(client))
    return caught.value, client


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "script",
    [
        [Exchange(401, JSON, {"detail": "Invalid token."})],
        [Exchange(503, repeat="always")],
        [Exchange(301, {"Location": "https://evil.example.test/"}, "")],
        [Exchange(200, JSON, {"carrier": 1})],
        [Exchange(200, body=b"", fault={"reset": True}, repeat="always")],
        # A gateway that echoes the request headers in its response.
        [Exchange(400, {"Content-Type": "text/plain"}, f"Authorization: {KEY}")],
        [Exchange(401, JSON, {"detail": f"bad key {KEY}", KEY: [KEY]})],
        [Exchange(200, JSON, {"carrier": KEY})],
        None,
    ],
    ids=[
        "401",
        "503-retried",
        "redirect",
        "invalid-body",
        "reset",
        "echoed-header",
        "echoed-json",
        "echoed-in-200",
        "refused",
    ],
)
def test_key_appears_nowhere(
    script: list[Exchange] | None, caplog: pytest.LogCaptureFixture
) -> None:
    error, client = fail(script, caplog)
    for text in everything_about(error, client, caplog.text):
        assert SECRET not in text


ECHOES = {
    "reason-phrase": Exchange(400, {"Content-Type": "text/html"}, "<p>", reason=KEY),
    "request-id": Exchange(500, {"X-Request-Id": KEY, **JSON}, {}),
    "location": Exchange(302, {"Location": f"https://x.example.test/?k={KEY}"}, ""),
    "header-name": Exchange(500, {f"X-{KEY}": "1", **JSON}, {}),
    "200-eta": Exchange(200, JSON, {**TRACK, "eta": KEY}),
    "200-status-date": Exchange(
        200,
        JSON,
        {
            **TRACK,
            "tracking_status": {
                "object_id": "a",
                "object_created": "2020-01-01T00:00:00Z",
                "status": "UNKNOWN",
                "status_details": None,
                "status_date": KEY,
            },
        },
    ),
    "200-not-json": Exchange(200, JSON, f"x {KEY}"),
}


@pytest.mark.parametrize("name", sorted(ECHOES))
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_key_echoed_outside_the_body_is_masked(
    name: str, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    script = [ECHOES[name]]
    retries = RetryConfig("none")
    if mode == "sync":
        error, client = fail(script, caplog, retry_config=retries)
    else:
        error, client = fail_async(script, caplog, retry_config=retries)
    texts = everything_about(error, client, _package_logs(caplog))
    texts += [repr(vars(error)), str(getattr(error, "headers", ""))]
    # Lowercase, because httpx shows header names in lowercase.
    for text in texts:
        assert SECRET.lower() not in text.lower()
    assert error.__cause__ is None
    assert error.__context__ is None


def test_masked_echoes_keep_their_place(caplog: pytest.LogCaptureFixture) -> None:
    error, _ = fail([ECHOES["reason-phrase"]], caplog)
    assert str(error) == "400 shippo_test_****: <p>"
    error, _ = fail([ECHOES["request-id"]], caplog, retry_config=RetryConfig("none"))
    assert isinstance(error, errors.SDKError)
    assert error.request_id == "shippo_test_****"
    assert error.headers["x-request-id"] == "shippo_test_****"
    error, _ = fail([ECHOES["location"]], caplog)
    assert isinstance(error, errors.UnexpectedRedirectError)
    assert error.location == "https://x.example.test/?k=shippo_test_****"
    error, _ = fail([ECHOES["200-eta"]], caplog)
    assert "'shippo_test_****'" in str(error)


def _package_logs(caplog: pytest.LogCaptureFixture) -> str:
    # httpx's INFO line and httpcore's DEBUG lines quote the status line and
    # the raw headers, which the package cannot mask (see errors.py).
    return "\n".join(
        record.getMessage()
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    )


def test_echoed_key_is_masked_not_dropped(caplog: pytest.LogCaptureFixture) -> None:
    script = [Exchange(400, {"Content-Type": "text/plain"}, f"Authorization: {KEY}")]
    error, _ = fail(script, caplog)
    assert isinstance(error, errors.SDKError)
    assert error.body == "Authorization: shippo_test_****"


def test_gzipped_echo_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    body = gzip.compress(f'{{"detail": "{KEY}"}}'.encode())
    headers = {"Content-Encoding": "gzip", **JSON}
    error, client = fail([Exchange(403, headers, body)], caplog)
    assert isinstance(error, errors.PermissionDeniedError)
    assert error.detail == "shippo_test_****"
    assert error.raw_response.json() == {"detail": "shippo_test_****"}
    for text in everything_about(error, client, caplog.text):
        assert SECRET not in text


def test_timeout_error_hides_the_key(caplog: pytest.LogCaptureFixture) -> None:
    script = [Exchange(200, fault={"delay_headers_s": 30})]
    error, client = fail(
        script, caplog, timeout_ms=100, retry_config=RetryConfig("none")
    )
    assert isinstance(error, errors.APITimeoutError)
    assert "authorization" not in error.__cause__.request.headers  # type: ignore[union-attr]
    for text in everything_about(error, client, caplog.text):
        assert SECRET not in text


def test_async_path_hides_the_key(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    script = [Exchange(503, repeat="always")]

    async def run(client: Shippo) -> None:
        async with client:
            await client.tracking_status.get_async("1", "usps")

    with ReplayServer(script) as server:
        clock = FakeClock()
        client = Shippo(
            KEY, server_url=server.url, clock=clock, async_sleep=clock.async_sleep
        )
        with pytest.raises(errors.ServiceUnavailableError) as caught:
            asyncio.run(run(client))
    for text in everything_about(caught.value, client, caplog.text):
        assert SECRET not in text


def test_key_sent_once_per_request() -> None:
    with ReplayServer([Exchange(503), Exchange(200, JSON, {})]) as server:
        clock = FakeClock()
        client = Shippo(KEY, server_url=server.url, sleep=clock.sleep, clock=clock)
        with client, pytest.raises(errors.ResponseValidationError):
            client.tracking_status.get("1", "usps")
    assert [r.headers["authorization"] for r in server.requests] == [
        f"ShippoToken {KEY}"
    ] * 2


@pytest.mark.parametrize(
    "key",
    [
        f"shippo_test_{SECRET[:5]} {SECRET[5:]}",
        f"shippo_test_{SECRET[:5]}\n{SECRET[5:]}",
        f"shippo_test_{SECRET[:5]}\t{SECRET[5:]}",
        f"shippo_test_{SECRET}\r\nX-Evil: 1",
        f"shippo_test_{SECRET}\x00",
        f"shippo_test_{SECRET}\x7f",
        f"shippo_test_{SECRET}\u00e9",
        f"ShippoToken {SECRET[:5]} {SECRET[5:]}",
        "ShippoToken ",
    ],
)
def test_malformed_keys_are_rejected_without_echo(key: str) -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        Shippo(key)
    text = str(caught.value) + repr(caught.value)
    text += "".join(traceback.format_exception(caught.value))
    assert SECRET[5:] not in text


def test_missing_and_wrongly_typed_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHIPPO_API_KEY", raising=False)
    with pytest.raises(errors.ConfigurationError, match="missing API key"):
        Shippo()
    with pytest.raises(errors.ConfigurationError, match="must be a str"):
        Shippo(KEY.encode())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("key", "header", "shown"),
    [
        (KEY, f"ShippoToken {KEY}", "shippo_test_****"),
        (f"{KEY}\n", f"ShippoToken {KEY}", "shippo_test_****"),
        (f"  ShippoToken  {KEY} ", f"ShippoToken {KEY}", "shippo_test_****"),
        (f"ShippoToken {KEY}", f"ShippoToken {KEY}", "shippo_test_****"),
        ("shippo_live_abcdef", "ShippoToken shippo_live_abcdef", "shippo_live_****"),
        ("oauth.abcdef", "Bearer oauth.abcdef", "oauth.****"),
        ("Bearer oauth.abcdef", "Bearer oauth.abcdef", "oauth.****"),
        ("plainsecret", "ShippoToken plainsecret", "****"),
    ],
)
def test_key_forms(key: str, header: str, shown: str) -> None:
    api_key = ApiKey(key)
    assert api_key.header == header
    assert repr(api_key) == str(api_key) == f"ApiKey({shown!r})"


def test_httpx_logs_never_carry_the_header(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with ReplayServer([Exchange(200, JSON, {})]) as server:
        http = httpx.Client(base_url=server.url)
        client = Shippo(KEY, server_url=server.url, client=http)
        with http, pytest.raises(errors.ResponseValidationError):
            client.tracking_status.get("1", "usps")
    assert caplog.records, "expected httpx/httpcore debug records"
    assert SECRET not in caplog.text
