"""Check every request that shippo_client puts on the wire against openapi.yaml.

tests/conftest.py wraps each test's call phase with ``recording()``: while it
runs, the package's senders (SyncSender and AsyncSender, which every request of
the Shippo client passes through, whether it then goes to httpx.Client.send or
straight to the transport) note each request, and afterwards every noted
request is validated with openapi-core against the committed spec. A client change
that sends a wrong path, header or body therefore fails the test that sent it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from shippo_client._senders import AsyncSender, SyncSender

__all__ = ["SPEC_PATH", "WireRequest", "contract_api", "recording", "violations"]

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"

# openapi-core matches the request's host against `servers`. Each request is
# presented under this host, whatever server the test really used.
_HOST = "http://contract.invalid"

_recorded: list[httpx.Request] | None = None


@functools.cache
def contract_api() -> OpenAPI:
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return OpenAPI.from_dict({**spec, "servers": [{"url": _HOST}]})


class WireRequest:
    """An httpx request in the shape openapi-core's request protocol expects."""

    def __init__(self, request: httpx.Request) -> None:
        self.host_url = _HOST
        self.method = request.method.lower()
        # The raw, percent-encoded path: openapi-core matches it segment by
        # segment, and a decoded "/" inside a tracking number would split it.
        raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        self.path = raw_path[raw_path.find("/tracks") :]
        self.full_url_pattern = _HOST + self.path
        headers = Headers([(k, v) for k, v in request.headers.multi_items()])
        query = ImmutableMultiDict(request.url.params.multi_items())
        self.parameters = RequestParameters(query=query, header=headers)
        self.content_type = request.headers.get("content-type", "")
        self.body = request.content or None


def violations(request: httpx.Request) -> list[str]:
    """Return why the request breaks the spec; empty when it conforms."""
    if "/tracks" not in request.url.path:
        return [f"{request.method} {request.url.path}: not a Tracks path"]
    try:
        contract_api().validate_request(WireRequest(request))
    except Exception as exc:
        return [_describe(request, exc)]
    return []


@contextlib.contextmanager
def recording() -> Iterator[list[httpx.Request]]:
    """Collect the requests that shippo_client sends inside the block."""
    global _recorded
    _install()
    previous, _recorded = _recorded, []
    try:
        yield _recorded
    finally:
        _recorded = previous


def _describe(request: httpx.Request, exc: Exception) -> str:
    reasons = [str(exc)]
    cause = exc.__cause__
    while cause is not None:
        reasons.append(str(cause))
        for error in getattr(cause, "schema_errors", ()):
            reasons.append(f"  {error.message}")
        cause = cause.__cause__
    target = request.url.raw_path.decode("ascii")
    return f"{request.method} {target} breaks openapi.yaml: " + "\n".join(reasons)


def _note(request: httpx.Request) -> None:
    # Only the package's requests are noted: tests that send deliberately bad
    # requests with plain httpx (for example the sandbox's own tests) must
    # stay free to do so.
    if _recorded is not None:
        _recorded.append(request)


@functools.cache
def _install() -> None:
    sync_send: Callable[..., Any] = SyncSender.__call__
    async_send: Callable[..., Any] = AsyncSender.__call__

    @functools.wraps(sync_send)
    def send(self: SyncSender, request: httpx.Request) -> Any:
        _note(request)
        return sync_send(self, request)

    @functools.wraps(async_send)
    async def asend(self: AsyncSender, request: httpx.Request) -> Any:
        _note(request)
        return await async_send(self, request)

    SyncSender.__call__ = send  # type: ignore[method-assign]
    AsyncSender.__call__ = asend  # type: ignore[method-assign]
