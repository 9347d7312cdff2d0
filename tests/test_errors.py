"""The exception hierarchy, and what each error carries for every kind of body.

Responses come from casereplay.ReplayServer, so status lines, headers and
bodies reach the client exactly as a gateway would send them.
"""

from __future__ import annotations

import asyncio
import gzip
import re
from typing import Any

import httpx
import pytest

from casereplay import Exchange, FakeClock, ReplayServer
from shippo_client import RetryConfig, Shippo, errors
from shippo_client._responses import connection_error, parse_track, status_error

NO_RETRIES = RetryConfig("none")
JSON = {"Content-Type": "application/json"}


def call(exchange: Exchange, *, op: str = "get", mode: str = "sync") -> Any:
    """Serve one exchange, make one call without retries, return the error."""
    with ReplayServer([exchange]) as server:
        client = Shippo(
            "shippo_test_x",
            server_url=server.url,
            retry_config=NO_RETRIES,
            sleep=FakeClock().sleep,
        )
        with pytest.raises(errors.ShippoError) as caught:
            if mode == "async":
                asyncio.run(_call_async(client, op))
            else:
                with client:
                    _call_sync(client, op)
    return caught.value


def _call_sync(client: Shippo, op: str) -> None:
    if op == "get":
        client.tracking_status.get("9400", "usps")
    else:
        client.tracking_status.create({"carrier": "usps", "tracking_number": "9"})


async def _call_async(client: Shippo, op: str) -> None:
    async with client:
        await client.tracking_status.get_async("9400", "usps")


# The hierarchy drawn in errors.py's docstring is the real one.


def _drawn_tree() -> dict[str, str]:
    """Map each class name drawn in the docstring to its drawn parent."""
    doc = errors.__doc__ or ""
    parents: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in doc.splitlines():
        match = re.match(r"^(\s*(?:[│ ]\s*)*(?:[├└]── )?)([A-Za-z]+Error)\b", line)
        if not match:
            continue
        depth = len(match.group(1))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            parents[match.group(2)] = stack[-1][1]
        stack.append((depth, match.group(2)))
    return parents


def test_docstring_draws_every_exception() -> None:
    drawn = _drawn_tree()
    assert set(drawn) | {"ShippoError"} == set(errors.__all__)


@pytest.mark.parametrize("name", sorted(set(errors.__all__) - {"ShippoError"}))
def test_each_exception_has_its_drawn_parent(name: str) -> None:
    cls = getattr(errors, name)
    parent = getattr(errors, _drawn_tree()[name])
    assert parent in cls.__bases__


def test_builtin_bases_are_kept_for_except_clauses() -> None:
    assert issubclass(errors.ConfigurationError, ValueError)
    assert issubclass(errors.RequestValidationError, ValueError)
    assert issubclass(errors.APITimeoutError, TimeoutError)
    assert not issubclass(errors.APIConnectionError, ConnectionError)


# Status codes to classes


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.BadRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (429, errors.RateLimitError),
        (405, errors.ClientError),
        (409, errors.ClientError),
        (418, errors.ClientError),
        (422, errors.ClientError),
        (499, errors.ClientError),
        (500, errors.ServerError),
        (502, errors.ServerError),
        (503, errors.ServiceUnavailableError),
        (504, errors.ServerError),
        (520, errors.ServerError),
        (527, errors.ServerError),
        (599, errors.ServerError),
        (600, errors.UnexpectedStatusError),
        (999, errors.UnexpectedStatusError),
    ],
)
def test_status_maps_to_its_class(status: int, cls: type[errors.SDKError]) -> None:
    error = call(Exchange(status, JSON, {"detail": "Nope."}))
    assert type(error) is cls
    assert isinstance(error, errors.SDKError)
    assert error.status_code == status
    assert error.detail == "Nope."
    assert str(error).startswith(f"{status} Nope.")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_never_followed(status: int) -> None:
    location = "https://elsewhere.example.test/tracks/usps/9400"
    exchange = Exchange(status, {"Location": location}, "<p>moved</p>")
    with ReplayServer([exchange, Exchange(200)]) as server:
        http = httpx.Client(base_url=server.url, follow_redirects=True)
        client = Shippo("shippo_test_x", server_url=server.url, client=http)
        with http, pytest.raises(errors.UnexpectedRedirectError) as caught:
            client.tracking_status.get("9400", "usps")
    assert caught.value.status_code == status
    assert caught.value.location == location
    assert f"unexpected redirect to {location}" in str(caught.value)
    assert len(server.requests) == 1


def test_redirect_without_location() -> None:
    error = call(Exchange(302, {}, b""))
    assert isinstance(error, errors.UnexpectedRedirectError)
    assert error.location is None
    assert "without a Location" in str(error)


def test_redirect_of_a_post_is_an_error_too() -> None:
    error = call(Exchange(307, {"Location": "/x"}, b""), op="post")
    assert isinstance(error, errors.UnexpectedRedirectError)


# Bodies that are not what the status promises


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Content-Type": "text/html"}, "<html><h1>502 Bad Gateway</h1></html>"),
        ({"Content-Type": "text/plain"}, "upstream connect error"),
        ({"Content-Type": "application/json"}, "<html>not json</html>"),
        ({"Content-Type": "application/json"}, '{"detail": "cut sho'),
        ({"Content-Type": "application/json"}, "[1, 2]"),
        ({"Content-Type": "application/json"}, '"just a string"'),
        ({"Content-Type": "application/json"}, "null"),
        ({}, ""),
        ({"Content-Type": "text/html; charset=bogus-8"}, "<p>caf\xe9</p>"),
        ({"Content-Type": "text/plain; charset=utf-16"}, "\ufffe garbage"),
    ],
)
@pytest.mark.parametrize("status", [400, 429, 500, 503])
def test_error_bodies_never_raise_a_decode_error(
    status: int, headers: dict[str, str], body: str
) -> None:
    error = call(Exchange(status, headers, body.encode("latin-1", "replace")))
    assert isinstance(error, errors.SDKError)
    assert error.status_code == status
    assert isinstance(error.body, str)
    assert "\n" not in str(error)
    assert error.detail is None or isinstance(error.detail, str)


DEEP = '{"detail": ' + "[" * 100_000 + "]" * 100_000 + "}"


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("status", "cls"), [(400, errors.BadRequestError), (500, errors.ServerError)]
)
def test_deeply_nested_error_body_has_no_data(
    status: int, cls: type[errors.SDKError], mode: str
) -> None:
    error = call(Exchange(status, JSON, DEEP), mode=mode)
    assert type(error) is cls
    assert error.status_code == status
    assert error.data is None
    assert error.body == DEEP


def test_html_body_kept_and_previewed() -> None:
    body = "<html>\n<body>\n" + "x" * 1_000 + "\n</body></html>"
    error = call(Exchange(502, {"Content-Type": "text/html"}, body))
    assert error.body == body
    assert error.data is None
    assert len(str(error)) < 400
    assert str(error).endswith("...")


def test_multi_line_detail_gives_a_one_line_str() -> None:
    error = call(Exchange(500, JSON, {"detail": "line one\nline two\r\n\tend"}))
    assert error.detail == "line one\nline two\r\n\tend"
    assert str(error) == "500 line one line two end"


@pytest.mark.parametrize(
    ("body", "field_errors", "fragment"),
    [
        ({"carrier": ["bad"], "tracking_number": ["empty"]}, None, "carrier: bad"),
        ({"metadata": "too long"}, {"metadata": ["too long"]}, "metadata: too long"),
        ({"__all__": ["a", "b"]}, {"__all__": ["a", "b"]}, "__all__: a b"),
        ({"detail": {"nested": 1}}, {}, "detail"),
    ],
)
def test_field_errors_of_a_400(
    body: dict[str, Any], field_errors: dict[str, list[str]] | None, fragment: str
) -> None:
    error = call(Exchange(400, JSON, body))
    expected = field_errors if field_errors is not None else body
    assert error.field_errors == expected
    assert fragment in error.message


def test_json_body_with_text_content_type() -> None:
    error = call(Exchange(404, {"Content-Type": "text/plain"}, '{"detail": "Gone."}'))
    assert error.detail == "Gone."


@pytest.mark.parametrize(
    "header", ["X-Request-Id", "X-Shippo-Request-Id", "x-amzn-RequestId", "CF-Ray"]
)
def test_request_id_and_headers(header: str) -> None:
    error = call(Exchange(500, {header: "req-123", **JSON}, {"detail": "Boom."}))
    assert error.request_id == "req-123"
    assert error.headers[header] == "req-123"
    assert str(error) == "500 Boom. | request id req-123"


def test_attempts_are_counted_in_the_error() -> None:
    # The default RetryConfig allows 4 attempts.
    script = [Exchange(502, repeat=4)]
    with ReplayServer(script) as server:
        clock = FakeClock()
        client = Shippo(
            "shippo_test_x", server_url=server.url, sleep=clock.sleep, clock=clock
        )
        with client, pytest.raises(errors.ServerError) as caught:
            client.tracking_status.get("1", "usps")
    assert caught.value.attempts == 4
    assert "after 4 attempts" in str(caught.value)
    assert len(server.requests) == 4


# A success status with a body that is not a Track


@pytest.mark.parametrize(
    "body",
    [
        b"<html>Service Unavailable</html>",
        b"",
        b"[]",
        b'"DELIVERED"',
        b"null",
        b'{"carrier": "usps"',
        b'{"tracking_number": "1"}',
        b'{"carrier": 5, "tracking_number": "1", "tracking_history": []}',
        b'{"carrier": "usps", "tracking_number": "1", "tracking_history": "x"}',
        b'{"carrier": "usps", "tracking_number": "1", "tracking_history": [5]}',
        b"[" * 100_000,
        b"\xff\xfe\x00",
    ],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_invalid_success_bodies_raise_response_validation_error(
    body: bytes, mode: str
) -> None:
    error = call(Exchange(200, JSON, body), mode=mode)
    assert type(error) is errors.ResponseValidationError
    assert error.status_code == 200
    assert error.body == body.decode("utf-8", "replace")
    assert error.raw_response.content == body
    assert "\n" not in str(error)


def test_validation_error_keeps_headers_and_request_id() -> None:
    headers = {"X-Request-Id": "abc", "Content-Type": "text/html"}
    error = call(Exchange(201, headers, "<html></html>"), op="post")
    assert error.request_id == "abc"
    assert error.headers["content-type"] == "text/html"
    assert "request id abc" in str(error)


# No response at all


def test_connection_error_wraps_the_httpx_error() -> None:
    request = httpx.Request("GET", "http://127.0.0.1/tracks/usps/1")
    cause = httpx.ConnectError("[Errno 111] Connection refused", request=request)
    error = connection_error(cause, "GET", "/tracks/usps/1", 2)
    assert type(error) is errors.APIConnectionError
    assert str(error) == (
        "GET /tracks/usps/1: connection failed: [Errno 111] Connection refused"
        " | after 2 attempts"
    )


@pytest.mark.parametrize(
    ("cause", "text"),
    [
        (httpx.ConnectTimeout(""), "timed out connecting"),
        (httpx.ReadTimeout(""), "timed out waiting for the response"),
        (httpx.PoolTimeout(""), "timed out waiting for a free connection"),
    ],
)
def test_timeouts_are_api_timeout_errors(
    cause: httpx.TimeoutException, text: str
) -> None:
    error = connection_error(cause, "GET", "/p", 1)
    assert isinstance(error, errors.APITimeoutError)
    assert isinstance(error, errors.APIConnectionError)
    assert str(error) == f"GET /p: {text}"


def test_bad_gzip_body_is_typed_error() -> None:
    headers = {"Content-Encoding": "gzip", **JSON}
    error = call(Exchange(200, headers, b"not gzip at all"))
    assert isinstance(error, errors.APIConnectionError)
    assert isinstance(error.__cause__, httpx.DecodingError)
    assert "decompress" in str(error)


def test_gzipped_body_is_decoded() -> None:
    body = gzip.compress(
        b'{"carrier": "usps", "tracking_number": "1", "tracking_history": []}'
    )
    exchange = Exchange(200, {"Content-Encoding": "gzip", **JSON}, body)
    with (
        ReplayServer([exchange]) as server,
        Shippo("shippo_test_x", server_url=server.url) as client,
    ):
        track = client.tracking_status.get("1", "usps")
    assert track.tracking_number == "1"


# The helpers used without a request attached


def test_helpers_accept_a_response_without_a_request() -> None:
    response = httpx.Response(500, text="oops")
    assert isinstance(status_error(response, 1), errors.ServerError)
    with pytest.raises(errors.ResponseValidationError):
        parse_track(httpx.Response(200, text="oops"), 1)
