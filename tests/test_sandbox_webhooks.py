"""The sandbox's track_updated deliveries to a receiver on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from shippo_client.sandbox import DeliveryRecord, Sandbox, check_webhook_url

AUTH = {"Authorization": "ShippoToken shippo_test_hooks"}

# Upper bound on waiting for the background thread, so no test depends on its speed.
WAIT_LIMIT_S = 10.0


class Receiver:
    """A webhook receiver that records each POST and responds with scripted statuses."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.bodies: list[bytes] = []
        self.headers: list[dict[str, str]] = []
        self._statuses = list(statuses or [])
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hook?token=s3cret"

    def next_status(self) -> int:
        with self._lock:
            return self._statuses.pop(0) if self._statuses else 200

    def record(self, body: bytes, headers: dict[str, str]) -> None:
        with self._lock:
            self.bodies.append(body)
            self.headers.append(headers)

    def payloads(self) -> list[dict[str, Any]]:
        with self._lock:
            return [json.loads(body) for body in self.bodies]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.next_status()
                if status < 300:
                    receiver.record(body, dict(self.headers.items()))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within the wait limit")
        time.sleep(0.005)


def _finished(sandbox: Sandbox, count: int) -> Callable[[], bool]:
    def check() -> bool:
        records = sandbox.deliveries
        return len(records) >= count and all(_done(record) for record in records)

    return check


def _done(record: DeliveryRecord) -> bool:
    return record.delivered or record.attempts >= 4


def _register(sandbox: Sandbox, number: str, **extra: str) -> httpx.Response:
    form = {"carrier": "shippo", "tracking_number": number, **extra}
    return httpx.post(f"{sandbox.url}/tracks/", json=form, headers=AUTH)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def test_registration_delivers_each_step(receiver: Receiver) -> None:
    with Sandbox(webhook_url=receiver.url, advance_interval_s=0.01) as sandbox:
        response = _register(sandbox, "SHIPPO_PRE_TRANSIT", metadata="Order 7")
        _wait_for(_finished(sandbox, 3))
        records = sandbox.deliveries

    assert response.status_code == 201
    payloads = receiver.payloads()
    statuses = [payload["data"]["tracking_status"]["status"] for payload in payloads]
    assert statuses == ["PRE_TRANSIT", "TRANSIT", "DELIVERED"]
    assert [len(p["data"]["tracking_history"]) for p in payloads] == [1, 2, 3]
    assert [record.status for record in records] == statuses
    assert all(record.attempts == 1 for record in records)
    assert all(record.http_status == 200 for record in records)


def test_payload_shape(receiver: Receiver) -> None:
    with Sandbox(webhook_url=receiver.url, advance_interval_s=0) as sandbox:
        _register(sandbox, "SHIPPO_TRANSIT", metadata="Order 8")
        _wait_for(_finished(sandbox, 1))

    payload = receiver.payloads()[0]
    assert payload["event"] == "track_updated"
    assert payload["test"] is True
    assert payload["data"]["tracking_number"] == "SHIPPO_TRANSIT"
    assert payload["data"]["metadata"] == "Order 8"
    assert receiver.headers[0]["Content-Type"] == "application/json"


def test_event_ids_kept_across_steps(receiver: Receiver) -> None:
    with Sandbox(webhook_url=receiver.url, advance_interval_s=0.01) as sandbox:
        _register(sandbox, "SHIPPO_UNKNOWN")
        _wait_for(_finished(sandbox, 3))

    histories = [p["data"]["tracking_history"] for p in receiver.payloads()]
    ids = [[event["object_id"] for event in history] for history in histories]
    assert ids[1][:1] == ids[0]
    assert ids[2][:2] == ids[1]
    assert len(set(ids[2])) == 3


def test_final_status_not_advanced(receiver: Receiver) -> None:
    with Sandbox(webhook_url=receiver.url, advance_interval_s=0.01) as sandbox:
        _register(sandbox, "SHIPPO_DELIVERED")
        _register(sandbox, "SHIPPO_TRANSIT")
        # A step of SHIPPO_DELIVERED would be due before SHIPPO_TRANSIT's.
        _wait_for(_finished(sandbox, 3))
        records = sandbox.deliveries

    numbers = [record.tracking_number for record in records]
    assert numbers == ["SHIPPO_DELIVERED", "SHIPPO_TRANSIT", "SHIPPO_TRANSIT"]


def test_zero_interval_delivers_once(receiver: Receiver) -> None:
    with Sandbox(webhook_url=receiver.url, advance_interval_s=0) as sandbox:
        _register(sandbox, "SHIPPO_PRE_TRANSIT")
        _wait_for(_finished(sandbox, 1))
        _register(sandbox, "SHIPPO_RETURNED")
        _wait_for(_finished(sandbox, 2))
        records = sandbox.deliveries

    assert [record.status for record in records] == ["PRE_TRANSIT", "RETURNED"]


def test_get_and_rejected_post_deliver_nothing(receiver: Receiver) -> None:
    with Sandbox(webhook_url=receiver.url, advance_interval_s=0) as sandbox:
        httpx.get(f"{sandbox.url}/tracks/shippo/SHIPPO_TRANSIT", headers=AUTH)
        rejected = _register(sandbox, "9205590164917312751089")
        _register(sandbox, "SHIPPO_FAILURE")
        _wait_for(_finished(sandbox, 1))
        records = sandbox.deliveries

    assert rejected.status_code == 400
    assert [record.tracking_number for record in records] == ["SHIPPO_FAILURE"]


def test_failed_delivery_retried(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="shippo_client.sandbox")
    with (
        Receiver(statuses=[503, 500]) as receiver,
        Sandbox(
            webhook_url=receiver.url, advance_interval_s=0, delivery_backoff_s=0.0
        ) as sandbox,
    ):
        _register(sandbox, "SHIPPO_TRANSIT")
        _wait_for(_finished(sandbox, 1))
        record = sandbox.deliveries[0]

    assert record.delivered is True
    assert record.attempts == 3
    assert record.http_status == 200
    assert len(receiver.bodies) == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert "503" in warnings[0]
    assert not any("s3cret" in line for line in warnings)


def test_unreachable_receiver_gives_up() -> None:
    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        closed_port = placeholder.getsockname()[1]
    url = f"http://127.0.0.1:{closed_port}/hook"

    with Sandbox(
        webhook_url=url, advance_interval_s=0, delivery_backoff_s=0.0
    ) as sandbox:
        _register(sandbox, "SHIPPO_TRANSIT")
        _wait_for(_finished(sandbox, 1))
        record = sandbox.deliveries[0]

    assert record.delivered is False
    assert record.attempts == 4
    assert record.http_status is None
    assert record.error is not None


def test_signer_headers_sent(receiver: Receiver) -> None:
    signed: list[bytes] = []

    def signer(body: bytes) -> dict[str, str]:
        signed.append(body)
        return {"Shippo-Auth-Signature": f"t=1,v1={len(body)}"}

    with Sandbox(
        webhook_url=receiver.url, webhook_signer=signer, advance_interval_s=0
    ) as sandbox:
        _register(sandbox, "SHIPPO_TRANSIT")
        _wait_for(_finished(sandbox, 1))

    assert signed == receiver.bodies
    expected = f"t=1,v1={len(receiver.bodies[0])}"
    assert receiver.headers[0]["Shippo-Auth-Signature"] == expected


def test_stop_ends_pending_steps(receiver: Receiver) -> None:
    sandbox = Sandbox(webhook_url=receiver.url, advance_interval_s=600.0).start()
    _register(sandbox, "SHIPPO_PRE_TRANSIT")
    _wait_for(_finished(sandbox, 1))

    sandbox.stop()

    assert len(sandbox.deliveries) == 1
    assert not any(t.name == "shippo-sandbox-webhooks" for t in threading.enumerate())


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest",
        "http://127.0.0.1.example.com/hook",
        "http://0.0.0.0:8000/hook",
        "ftp://127.0.0.1/hook",
        "127.0.0.1:8000/hook",
    ],
)
def test_non_loopback_webhook_rejected(url: str) -> None:
    with pytest.raises(ValueError, match="webhook_url"):
        Sandbox(webhook_url=url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000/hook",
        "http://127.8.9.10/hook",
        "http://localhost:9000/hook",
        "https://LOCALHOST/hook",
        "http://[::1]:9000/hook",
    ],
)
def test_loopback_webhook_accepted(url: str) -> None:
    assert check_webhook_url(url) == url
