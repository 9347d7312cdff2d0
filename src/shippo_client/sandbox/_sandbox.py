"""Sandbox: start and stop the server, its webhook thread, and serve()."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from ._app import SandboxApp
from ._delivery import DeliveryRecord, Signer, WebhookDelivery
from ._server import SandboxServer
from ._settings import SandboxSettings

__all__ = ["DEFAULT_HOST", "Sandbox", "serve"]

logger = logging.getLogger("shippo_client.sandbox")

DEFAULT_HOST = "127.0.0.1"


class Sandbox:
    """A local server that responds like Shippo's test mode.

    Serves ``GET /tracks/{carrier}/{tracking_number}`` and ``POST /tracks/``
    for carrier ``shippo`` and the six ``SHIPPO_*`` test numbers, with
    optional rate limiting, injected faults and webhook deliveries. See
    SandboxSettings for the settings. Use it as a context manager, or call
    start() and stop().

    Args:
        port: The port to listen on; 0 picks a free one.
        host: The address to bind, 127.0.0.1 unless given.
    """

    def __init__(
        self,
        port: int = 0,
        rate_limit_per_minute: int | None = None,
        fault_429_permille: int = 0,
        fault_5xx_permille: int = 0,
        fault_stall_permille: int = 0,
        stall_seconds: float = 30.0,
        seed: int | None = None,
        api_key: str | None = None,
        webhook_url: str | None = None,
        webhook_signer: Signer | None = None,
        advance_interval_s: float = 2.0,
        *,
        host: str = DEFAULT_HOST,
        delivery_backoff_s: float = 0.2,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = SandboxSettings(
            rate_limit_per_minute=rate_limit_per_minute,
            fault_429_permille=fault_429_permille,
            fault_5xx_permille=fault_5xx_permille,
            fault_stall_permille=fault_stall_permille,
            stall_seconds=stall_seconds,
            seed=seed,
            api_key=api_key,
            webhook_url=webhook_url,
            webhook_signer=webhook_signer,
            advance_interval_s=advance_interval_s,
            delivery_backoff_s=delivery_backoff_s,
            clock=clock,
        )
        self.host = host
        self._port = port
        self._server: SandboxServer | None = None
        # Kept after stop(), so that the counters stay readable.
        self._last_server: SandboxServer | None = None
        self._thread: threading.Thread | None = None
        self._delivery: WebhookDelivery | None = None
        self._stopping = threading.Event()

    def __repr__(self) -> str:
        state = "running" if self._server is not None else "stopped"
        return f"Sandbox(url={self.url!r}, {state})"

    @property
    def port(self) -> int:
        """The bound port once started, else the requested one."""
        if self._server is not None:
            return int(self._server.server_address[1])
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def request_count(self) -> int:
        """Requests served so far, errors included."""
        server = self._server or self._last_server
        return 0 if server is None else server.request_count

    @property
    def connection_count(self) -> int:
        """TCP connections accepted so far; keep-alive reuses one for many requests."""
        server = self._server or self._last_server
        return 0 if server is None else server.connection_count

    @property
    def deliveries(self) -> list[DeliveryRecord]:
        """A snapshot of the webhook deliveries so far, oldest first."""
        return [] if self._delivery is None else self._delivery.records

    def start(self) -> Self:
        """Bind the port and serve from a background thread."""
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")

        self._stopping.clear()
        self._delivery = self._make_delivery()
        app = SandboxApp(self.settings, self._stopping, self._delivery)
        self._server = SandboxServer((self.host, self._port), app)
        self._last_server = self._server
        if self._delivery is not None:
            self._delivery.start()

        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="shippo-sandbox",
            daemon=True,
        )
        self._thread.start()
        _warn_if_exposed(self.host)
        logger.info("sandbox listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, close connections and stop webhook deliveries."""
        server, self._server = self._server, None
        if server is None:
            return

        # Lets stalled requests finish, so their threads can be joined.
        self._stopping.set()
        server.close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._delivery is not None:
            self._delivery.stop()
        logger.info("sandbox on port %d stopped", server.server_address[1])

    def _make_delivery(self) -> WebhookDelivery | None:
        settings = self.settings
        if settings.webhook_url is None:
            return None
        return WebhookDelivery(
            settings.webhook_url,
            signer=settings.webhook_signer,
            advance_interval_s=settings.advance_interval_s,
            now=lambda: datetime.fromtimestamp(settings.clock(), UTC),
            monotonic=time.monotonic,
            backoff_s=settings.delivery_backoff_s,
        )

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve(port: int = 8765, host: str = DEFAULT_HOST, **settings: Any) -> None:
    """Run a sandbox in the foreground until Ctrl-C.

    ``settings`` are Sandbox's keyword arguments, for example
    ``rate_limit_per_minute=50``.
    """
    sandbox = Sandbox(port, host=host, **settings)
    with sandbox:
        print(f"Shippo sandbox listening on {sandbox.url} (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


def _warn_if_exposed(host: str) -> None:
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        logger.warning(
            "sandbox bound to %s, which other machines may reach; it accepts "
            "any well-formed key unless api_key is set",
            host,
        )
