"""The Shippo client: settings, the httpx clients and their lifetime."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

import httpx

from ._auth import ApiKey
from ._retries import DEFAULT_RETRY_CONFIG, RetryBudget, RetryConfig, RetryPolicy
from ._senders import AsyncSender, SyncSender, environment_has_proxy
from ._settings import check_url, check_version, request_timeout
from ._tracking_status import TrackingStatus
from ._version import __version__

__all__ = ["Shippo"]

DEFAULT_TIMEOUT_MS = 30_000

# Headers that request_headers sets itself, whatever the httpx client has.
_OWN = frozenset({"accept", "authorization"})

_DEFAULT_HEADERS = {
    "User-Agent": f"shippo-client-python/{__version__}",
    "Accept": "application/json",
}


def _asyncio_sleep(delay: float) -> Awaitable[None]:
    # asyncio is imported on the first async retry, not with the package: it
    # took about 17 ms of `import shippo_client` (python -X importtime), and
    # sync callers never need it.
    import asyncio

    return asyncio.sleep(delay)


class Shippo:
    """A client for Shippo's Tracks API.

    Args:
        api_key_header: The API key, with or without the "ShippoToken " prefix.
            Defaults to the SHIPPO_API_KEY environment variable.
        shippo_api_version: Sent as SHIPPO-API-VERSION on every request, for
            example "2018-02-08". Without it, the account's version applies.
        server_url: The API's base URL. Defaults to SHIPPO_SERVER_URL, else
            https://api.goshippo.com.
        timeout_ms: The timeout of each network operation, in milliseconds:
            connecting, each read and each write (default 30,000). It is not
            a deadline for the whole call; retry_config's max_elapsed_time
            bounds the retries.
        retry_config: When to retry; see RetryConfig. Defaults to up to 4
            attempts within 30 s, with exponential backoff.
        client: An httpx.Client to send with, for custom transports or
            proxies. The caller keeps ownership and closes it.
        async_client: An httpx.AsyncClient, likewise.
        clock: A monotonic clock in seconds, for the retry deadline.
        sleep: Sleeps between sync retries.
        async_sleep: Sleeps between async retries (default asyncio.sleep).
        rng: Returns a float in [0, 1), for backoff jitter.
        retry_budget: A RetryBudget to share between clients.

    Use it as a context manager, or call close() / aclose(), to release its
    connections. Redirects are never followed: Shippo does not redirect API
    calls, and following one could hand the key to another host.
    """

    def __init__(
        self,
        api_key_header: str | None = None,
        shippo_api_version: str | None = None,
        server_url: str | None = None,
        *,
        timeout_ms: int = DEFAULT_TIMEOUT_MS,
        retry_config: RetryConfig | None = None,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
        rng: Callable[[], float] | None = None,
        retry_budget: RetryBudget | None = None,
    ) -> None:
        self._key = ApiKey(api_key_header)
        self.shippo_api_version = check_version(shippo_api_version)
        self.server_url = check_url(server_url or os.environ.get("SHIPPO_SERVER_URL"))
        self.timeout = request_timeout(timeout_ms)
        self.retry_config = retry_config or DEFAULT_RETRY_CONFIG
        self.retry_budget = retry_budget or RetryBudget()
        self._clock = clock
        self._rng = rng
        self.sleep = sleep
        self.async_sleep = async_sleep or _asyncio_sleep
        self._client = client
        self._async_client = async_client
        self._owns_client = client is None
        self._owns_async_client = async_client is None
        self._sender: SyncSender | None = None
        self._async_sender: AsyncSender | None = None
        # The event loop that async_http's client was made in, if any.
        self._async_loop: object | None = None
        # Two threads that call a fresh client at once must not both create
        # an httpx client, because one of them would never be closed.
        self._lock = threading.Lock()
        # Request headers per httpx client, keyed by id(): see request_headers.
        self._headers: dict[int, list[tuple[str, str]]] = {}
        self.tracking_status = TrackingStatus(self)

    def __repr__(self) -> str:
        return f"Shippo(server_url={self.server_url!r}, api_key={self._key!r})"

    @property
    def auth_header(self) -> str:
        return self._key.header

    def policy(self, retries: RetryConfig | None) -> RetryPolicy:
        """Return the retry policy of one call: its own config or the client's."""
        config = retries or self.retry_config
        if self._rng is None:
            return RetryPolicy(config, self.retry_budget, clock=self._clock)
        return RetryPolicy(config, self.retry_budget, clock=self._clock, rng=self._rng)

    def owns(self, http: httpx.Client | httpx.AsyncClient) -> bool:
        """Return True if `http` is a client this object created."""
        if isinstance(http, httpx.Client):
            return self._owns_client and http is self._client
        return self._owns_async_client and http is self._async_client

    def request_headers(
        self, http: httpx.Client | httpx.AsyncClient
    ) -> list[tuple[str, str]]:
        """Return the headers of every request sent through `http`.

        For a client this object created, they include that client's default
        headers, so that requests can be built without httpx's merging step.
        """
        cached = self._headers.get(id(http))
        if cached is None:
            own = [("Accept", "application/json"), ("Authorization", self.auth_header)]
            defaults = list(http.headers.items()) if self.owns(http) else []
            cached = [(k, v) for k, v in defaults if k.lower() not in _OWN] + own
            self._headers[id(http)] = cached
        return cached

    @property
    def http(self) -> httpx.Client:
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client, self._sender = _new_client(
                        self.server_url, self.timeout
                    )
        return self._client

    @property
    def async_http(self) -> httpx.AsyncClient:
        loop = _running_loop()
        if self._async_client is not None and _loop_gone(self._async_loop, loop):
            # The client's connections belong to an event loop that is now
            # closed (a second asyncio.run), and they cannot be closed from
            # this one, so the client is dropped and a new one made.
            with self._lock:
                self._drop_async_client()
        if self._async_client is None:
            with self._lock:
                if self._async_client is None:
                    client, sender = _new_async_client(self.server_url, self.timeout)
                    self._async_client, self._async_sender = client, sender
                    self._async_loop = loop
        return self._async_client

    @property
    def sender(self) -> SyncSender:
        """Return the sender of `http`'s requests (see _senders)."""
        client = self.http
        sender = self._sender
        if sender is None or sender.client is not client:
            sender = self._sender = SyncSender(client)
        return sender

    @property
    def async_sender(self) -> AsyncSender:
        """Return the sender of `async_http`'s requests."""
        client = self.async_http
        sender = self._async_sender
        if sender is None or sender.client is not client:
            sender = self._async_sender = AsyncSender(client)
        return sender

    def close(self) -> None:
        if self._client is not None and self._owns_client:
            self._headers.pop(id(self._client), None)
            self._client.close()
            self._client = None
            self._sender = None

    async def aclose(self) -> None:
        if self._async_client is not None and self._owns_async_client:
            self._headers.pop(id(self._async_client), None)
            await self._async_client.aclose()
            self._async_client = None
            self._async_sender = None
        self.close()

    def _drop_async_client(self) -> None:
        if self._async_client is not None and self._owns_async_client:
            self._headers.pop(id(self._async_client), None)
            self._async_client = None
            self._async_sender = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


def _new_client(
    server_url: str, timeout: httpx.Timeout
) -> tuple[httpx.Client, SyncSender]:
    # httpx reads proxies from the environment only for a client made without
    # a transport, so with a proxy configured the client makes its own and
    # requests go through its send().
    transport = None if environment_has_proxy() else httpx.HTTPTransport()
    client = httpx.Client(
        base_url=server_url,
        timeout=timeout,
        follow_redirects=False,
        headers=_DEFAULT_HEADERS,
        transport=transport,
    )
    return client, SyncSender(client, transport)


def _new_async_client(
    server_url: str, timeout: httpx.Timeout
) -> tuple[httpx.AsyncClient, AsyncSender]:
    transport = None if environment_has_proxy() else httpx.AsyncHTTPTransport()
    client = httpx.AsyncClient(
        base_url=server_url,
        timeout=timeout,
        follow_redirects=False,
        headers=_DEFAULT_HEADERS,
        transport=transport,
    )
    return client, AsyncSender(client, transport)


def _running_loop() -> object | None:
    # asyncio is only in sys.modules once something imported it, and no
    # event loop can run before that, so sync callers never import it here.
    asyncio = sys.modules.get("asyncio")
    if asyncio is None:
        return None
    try:
        loop: object = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop


def _loop_gone(made_in: object | None, current: object | None) -> bool:
    """Return True if a client made in `made_in` cannot serve `current`."""
    if made_in is None or current is None or made_in is current:
        return False
    is_closed = getattr(made_in, "is_closed", None)
    return callable(is_closed) and bool(is_closed())
