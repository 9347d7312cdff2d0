"""Requests and responses as plain data, and the bodies the sandbox sends."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BodyError",
    "Request",
    "Response",
    "html_response",
    "json_response",
    "parse_form",
    "text_response",
]


@dataclass(frozen=True)
class Request:
    """One HTTP request: the method, the target (path and query), headers, body.

    Header names are lower case.
    """

    method: str
    target: str
    # Kept out of the repr because the Authorization header contains the key.
    headers: Mapping[str, str] = field(repr=False)
    body: bytes = field(default=b"", repr=False)


@dataclass
class Response:
    """One HTTP response. The server adds Content-Length and Content-Type."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def json_response(
    status: int, data: Any, headers: dict[str, str] | None = None
) -> Response:
    body = json.dumps(data).encode()
    return Response(status, body, "application/json", headers or {})


def text_response(
    status: int, text: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(status, text.encode(), "text/plain; charset=utf-8", headers or {})


def html_response(
    status: int, title: str, headers: dict[str, str] | None = None
) -> Response:
    page = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n"
        f"<body>\r\n<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n"
    )
    return Response(status, page.encode(), "text/html; charset=utf-8", headers or {})


class BodyError(Exception):
    """A request body that cannot be read; carries the response to send."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def parse_form(request: Request) -> dict[str, Any]:
    """Decode a JSON or form-encoded body into a dict, or raise BodyError.

    Shippo's docs send form fields (curl -d) and the SDKs send JSON, so both
    are accepted. An empty body without a Content-Type is an empty form.
    """
    content_type = request.headers.get("content-type", "")
    media_type = content_type.partition(";")[0].strip().lower()

    if media_type == "application/json" or media_type.endswith("+json"):
        return _parse_json(request.body)
    if media_type == "application/x-www-form-urlencoded":
        return _parse_urlencoded(request.body)
    if not media_type and not request.body:
        return {}

    detail = f'Unsupported media type "{content_type}" in request.'
    raise BodyError(json_response(415, {"detail": detail}))


def _parse_json(body: bytes) -> dict[str, Any]:
    # Besides JSONDecodeError and UnicodeDecodeError (both ValueErrors),
    # json.loads raises a plain ValueError for an integer of more than
    # sys.get_int_max_str_digits() digits and RecursionError for deep nesting.
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise _json_error(str(exc).partition(";")[0]) from exc
    except RecursionError as exc:
        raise _json_error("nested too deeply") from exc

    if not isinstance(data, dict):
        message = f"Invalid data. Expected a dictionary, but got {type(data).__name__}."
        raise BodyError(json_response(400, {"non_field_errors": [message]}))
    return data


def _json_error(reason: str) -> BodyError:
    detail = f"JSON parse error - {reason}"
    return BodyError(json_response(400, {"detail": detail}))


def _parse_urlencoded(body: bytes) -> dict[str, Any]:
    try:
        text = body.decode()
    except UnicodeDecodeError as exc:
        detail = "Form body is not valid UTF-8."
        raise BodyError(json_response(400, {"detail": detail})) from exc

    pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
    # A repeated field keeps its last value, as form parsers usually do.
    return dict(pairs)
