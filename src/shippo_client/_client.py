"""The Shippo client: settings, the httpx clients and their lifetime."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx

from ._auth import ApiKey
from ._retries import DEFAULT_RETRY_CONFIG, RetryBudget, RetryConfig, RetryPolicy
from ._senders import AsyncSender, SyncSender, environment_has_proxy
from ._settings import check_url, check_version, request_timeout
from ._tracking_status import TrackingStatus
from ._version import __version__

if TYPE_CHECKING:
    import asyncio

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
        self._owns_client = client is None
        self._owns_async_client = async_client is None
        # Each sender contains its httpx client. An owned one is None until made.
        self._sender = None if client is None else SyncSender(client)
        self._async_sender = None if async_client is None else AsyncSender(async_client)
        # The event loop that the owned async client was made in, if any.
        self._async_loop: asyncio.AbstractEventLoop | None = None
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
            sender: SyncSender | AsyncSender | None = self._sender
            owned = self._owns_client
        else:
            sender = self._async_sender
            owned = self._owns_async_client
        return owned and sender is not None and http is sender.client

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
        return self.sender.client

    @property
    def async_http(self) -> httpx.AsyncClient:
        return self.async_sender.client

    @property
    def sender(self) -> SyncSender:
        """Return the sender of `http`'s requests, making the client if needed."""
        sender = self._sender
        if sender is None:
            with self._lock:
                if self._sender is None:
                    self._sender = _new_sender(self.server_url, self.timeout)
                sender = self._sender
        return sender

    @property
    def async_sender(self) -> AsyncSender:
        """Return the sender of `async_http`'s requests, making the client if needed."""
        loop = _running_loop()
        sender = self._async_sender
        if _loop_gone(self._async_loop, loop):
            # The owned client's connections belong to an event loop that is
            # now closed (a second asyncio.run), and they cannot be closed
            # from this one, so the client is dropped and a new one made.
            with self._lock:
                self._forget_async_client()
            sender = None
        if sender is None:
            with self._lock:
                if self._async_sender is None:
                    self._async_sender = _new_async_sender(
                        self.server_url, self.timeout
                    )
                    self._async_loop = loop
                sender = self._async_sender
        return sender

    def close(self) -> None:
        if self._sender is not None and self._owns_client:
            self._headers.pop(id(self._sender.client), None)
            self._sender.client.close()
            self._sender = None

    async def aclose(self) -> None:
        if self._async_sender is not None and self._owns_async_client:
            client = self._async_sender.client
            self._forget_async_client()
            await client.aclose()
        self.close()

    def _forget_async_client(self) -> None:
        # Called only for owned clients, the only ones with an _async_loop.
        if self._async_sender is not None:
            self._headers.pop(id(self._async_sender.client), None)
            self._async_sender = None
        self._async_loop = None

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


def _new_sender(server_url: str, timeout: httpx.Timeout) -> SyncSender:
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
    return SyncSender(client, transport)


def _new_async_sender(server_url: str, timeout: httpx.Timeout) -> AsyncSender:
    transport = None if environment_has_proxy() else httpx.AsyncHTTPTransport()
    client = httpx.AsyncClient(
        base_url=server_url,
        timeout=timeout,
        follow_redirects=False,
        headers=_DEFAULT_HEADERS,
        transport=transport,
    )
    return AsyncSender(client, transport)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    # asyncio is only in sys.modules once something imported it, and no
    # event loop can run before that, so sync callers never import it here.
    module = sys.modules.get("asyncio")
    if module is None:
        return None
    try:
        loop: asyncio.AbstractEventLoop = module.get_running_loop()
    except RuntimeError:
        return None
    return loop


def _loop_gone(
    made_in: asyncio.AbstractEventLoop | None,
    current: asyncio.AbstractEventLoop | None,
) -> bool:
    """Return True if a client made in `made_in` cannot serve `current`."""
    if made_in is None or current is None or made_in is current:
        return False
    return made_in.is_closed()
