"""Webhook deliveries: track_updated events for registered test shipments.

After a registration, one background thread posts the shipment's Track to
the webhook URL, then moves the shipment one status on every
``advance_interval_s`` seconds and posts again, until the status is final.
"""

from __future__ import annotations

import heapq
import ipaddress
import itertools
import json
import logging
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx

from ._fixtures import Event, next_event, track_body

__all__ = [
    "DeliveryRecord",
    "Signer",
    "WebhookDelivery",
    "check_webhook_url",
]

logger = logging.getLogger("shippo_client.sandbox")

Signer = Callable[[bytes], Mapping[str, str]]

MAX_ATTEMPTS = 4
MAX_BACKOFF_S = 2.0
DELIVERY_TIMEOUT_S = 5.0


def check_webhook_url(url: str) -> str:
    """Return the URL if it is http(s) on a loopback host, else raise ValueError.

    The sandbox only posts to this machine, so that a test or a typo can
    never send deliveries to another host.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"webhook_url must be an http or https URL, got {url!r}")

    host = parts.hostname or ""
    if not _is_loopback(host):
        raise ValueError(
            "webhook_url must point to a loopback host (127.0.0.0/8, ::1 or "
            f"localhost), got host {host!r}"
        )
    return url


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class DeliveryRecord:
    """One track_updated event and the outcome of posting it.

    Attributes:
        tracking_number: The shipment's tracking number.
        status: The Track's latest status in this event.
        attempts: How many POSTs were sent, retries included.
        http_status: The status of the last response, or None if none came.
        delivered: True when the receiver responded with a 2XX status.
        error: The last failure, or None.
        body: The JSON payload that was sent.
    """

    tracking_number: str
    status: str
    attempts: int = 0
    http_status: int | None = None
    delivered: bool = False
    error: str | None = None
    body: bytes = b""


@dataclass
class _Shipment:
    number: str
    history: list[Event]
    metadata: str | None
    key: str


@dataclass(order=True)
class _Job:
    due: float
    sequence: int
    shipment: _Shipment = field(compare=False)


class WebhookDelivery:
    """Posts track_updated events from one background thread.

    Args:
        url: The receiver, on a loopback host.
        signer: Returns extra headers (for example a signature) for a body.
        advance_interval_s: Seconds between status steps; 0 sends only the
            registration's first event.
        now: Returns the current time, for the Track's dates.
        monotonic: A monotonic clock in seconds, for scheduling.
        backoff_s: Delay before the first retry; it doubles per retry, up to
            two seconds.
    """

    def __init__(
        self,
        url: str,
        *,
        signer: Signer | None,
        advance_interval_s: float,
        now: Callable[[], datetime],
        monotonic: Callable[[], float],
        backoff_s: float,
    ) -> None:
        self._url = check_webhook_url(url)
        self._signer = signer
        self._interval = advance_interval_s
        self._now = now
        self._monotonic = monotonic
        self._backoff = backoff_s
        self._jobs: list[_Job] = []
        self._sequence = itertools.count()
        self._records: list[DeliveryRecord] = []
        self._condition = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    @property
    def records(self) -> list[DeliveryRecord]:
        with self._condition:
            return list(self._records)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name="shippo-sandbox-webhooks", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread; pending steps are dropped."""
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        if self._thread is not None:
            self._thread.join(DELIVERY_TIMEOUT_S * 2)
            self._thread = None

    def register(self, number: str, history: list[Event], metadata: str | None) -> None:
        """Schedule the first event of a new registration for immediate delivery."""
        with self._condition:
            key = str(next(self._sequence))
            shipment = _Shipment(number, list(history), metadata, key)
            self._schedule(shipment, self._monotonic())

    def _schedule(self, shipment: _Shipment, due: float) -> None:
        heapq.heappush(self._jobs, _Job(due, next(self._sequence), shipment))
        self._condition.notify_all()

    def _run(self) -> None:
        with httpx.Client(timeout=DELIVERY_TIMEOUT_S, trust_env=False) as client:
            while (job := self._next_job()) is not None:
                self._deliver(client, job.shipment)
                self._advance(job.shipment)

    def _next_job(self) -> _Job | None:
        with self._condition:
            while not self._stopping:
                delay = self._jobs[0].due - self._monotonic() if self._jobs else None
                if delay is not None and delay <= 0:
                    return heapq.heappop(self._jobs)
                self._condition.wait(delay)
            return None

    def _advance(self, shipment: _Shipment) -> None:
        if self._interval <= 0:
            return

        # The new event is dated when it will be delivered.
        scan_time = self._now() + timedelta(seconds=self._interval)
        event = next_event(shipment.number, shipment.history, scan_time, shipment.key)
        if event is None:
            return

        shipment.history.append(event)
        with self._condition:
            self._schedule(shipment, self._monotonic() + self._interval)

    def _deliver(self, client: httpx.Client, shipment: _Shipment) -> None:
        body = _payload(shipment, self._now())
        record = DeliveryRecord(shipment.number, shipment.history[-1].status, body=body)
        with self._condition:
            self._records.append(record)

        headers = {"Content-Type": "application/json"}
        if self._signer is not None:
            headers.update(self._signer(body))

        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self._post(client, record, body, headers, attempt):
                return
            if attempt < MAX_ATTEMPTS and self._wait(self._retry_delay(attempt)):
                return

    def _post(
        self,
        client: httpx.Client,
        record: DeliveryRecord,
        body: bytes,
        headers: dict[str, str],
        attempt: int,
    ) -> bool:
        record.attempts = attempt
        try:
            response = client.post(self._url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            record.error = f"{type(exc).__name__}: {exc}"
            record.http_status = None
        else:
            record.http_status = response.status_code
            if response.is_success:
                record.delivered = True
                record.error = None
                return True
            record.error = f"receiver responded with status {response.status_code}"

        logger.warning(
            "webhook delivery of %s (%s) to %s failed on attempt %d of %d: %s",
            record.tracking_number,
            record.status,
            _loggable(self._url),
            attempt,
            MAX_ATTEMPTS,
            record.error,
        )
        return False

    def _retry_delay(self, attempt: int) -> float:
        delay: float = self._backoff * 2.0 ** (attempt - 1)
        return min(MAX_BACKOFF_S, delay)

    def _wait(self, seconds: float) -> bool:
        """Sleep between retries; return True if the sandbox is stopping."""
        deadline = self._monotonic() + seconds
        with self._condition:
            # New registrations notify too, so wait again until the deadline.
            while not self._stopping:
                remaining = deadline - self._monotonic()
                if remaining <= 0:
                    break
                self._condition.wait(remaining)
            return self._stopping


def _payload(shipment: _Shipment, now: datetime) -> bytes:
    track = track_body(shipment.number, shipment.history, now, shipment.metadata)
    payload = {"event": "track_updated", "test": True, "data": track}
    return json.dumps(payload).encode()


def _loggable(url: str) -> str:
    # A webhook URL may carry a secret token in its query, so logs omit it.
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
