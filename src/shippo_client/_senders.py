"""Send one request, through the httpx client or straight to its transport.

A client that Shippo creates itself needs none of what httpx.Client.send adds
around the transport: authentication flows, redirects, which the package
never follows, cookies, which a token API does not use, and event hooks.
Those layers took about 130 µs of a 750 µs call for a 10-event Track
(Client.send timed against HTTPTransport.handle_request on the benchmark's
2-core VM), so such a client's requests go to its transport directly. A
caller's own client always goes through its send(), so that its hooks, auth
and mounts apply.

Requests also go through send() when the environment names a proxy
(HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and the like), because httpx then mounts
a proxy transport per URL pattern and only the client knows which one
applies. Such a client is made without a transport of our own, since httpx
0.28 reads the proxy variables only for a client made without one.

What a response sent directly lacks: httpx's INFO log line "HTTP Request:
..." (the package logs retries under "shippo_client" instead) and the cookie
jar. It has `request` and `elapsed` set, as httpx sets them.
"""

from __future__ import annotations

import datetime
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator

import httpx

__all__ = ["AsyncSender", "SyncSender", "environment_has_proxy"]


def environment_has_proxy() -> bool:
    """Return True if the environment configures a proxy, as httpx reads it."""
    return bool(urllib.request.getproxies())


class SyncSender:
    """The sender of one httpx.Client's requests, which returns unread responses."""

    def __init__(
        self, client: httpx.Client, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.client = client
        self._transport = transport

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if self._transport is None:
            return self.client.send(request, stream=True, follow_redirects=False)

        _check_open(self.client)
        started = time.perf_counter()
        try:
            response = self._transport.handle_request(request)
        except httpx.RequestError as exc:
            exc.request = request
            raise

        response.request = request
        stream = response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        response.stream = _TimedStream(stream, response, started)
        return response


class AsyncSender:
    """The async twin of SyncSender."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.client = client
        self._transport = transport

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if self._transport is None:
            return await self.client.send(request, stream=True, follow_redirects=False)

        _check_open(self.client)
        started = time.perf_counter()
        try:
            response = await self._transport.handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request
            raise

        response.request = request
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)
        response.stream = _TimedAsyncStream(stream, response, started)
        return response


def _check_open(client: httpx.Client | httpx.AsyncClient) -> None:
    # The same error, in the same words, as httpx.Client.send raises.
    if client.is_closed:
        raise RuntimeError("Cannot send a request, as the client has been closed.")


def _elapsed(started: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=time.perf_counter() - started)


class _TimedStream(httpx.SyncByteStream):
    """A response stream that sets response.elapsed when it closes."""

    def __init__(
        self, stream: httpx.SyncByteStream, response: httpx.Response, started: float
    ) -> None:
        self._stream = stream
        self._response = response
        self._started = started

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._stream)

    def close(self) -> None:
        self._response.elapsed = _elapsed(self._started)
        self._stream.close()


class _TimedAsyncStream(httpx.AsyncByteStream):
    """The async twin of _TimedStream."""

    def __init__(
        self, stream: httpx.AsyncByteStream, response: httpx.Response, started: float
    ) -> None:
        self._stream = stream
        self._response = response
        self._started = started

    def __aiter__(self) -> AsyncIterator[bytes]:
        return aiter(self._stream)

    async def aclose(self) -> None:
        self._response.elapsed = _elapsed(self._started)
        await self._stream.aclose()
