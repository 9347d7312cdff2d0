"""End to end: the sandbox delivers track_updated events to WebhookReceiver."""

from __future__ import annotations

import queue
import time
from typing import Any

import httpx
import pytest

from shippo_client import Shippo
from shippo_client.webhooks import (
    AnyWebhookEvent,
    Deduplicator,
    HmacSigner,
    HmacVerifier,
    TrackUpdatedEvent,
    WebhookReceiver,
    sort_by_status_date,
)

sandbox_module = pytest.importorskip("shippo_client.sandbox")

SECRET = "e2e-webhook-secret"
TOKEN = "e2e-token"
API_KEY = "shippo_test_e2e0000000000000000000000000000"


def _collect(events: queue.Queue[AnyWebhookEvent], count: int) -> list[AnyWebhookEvent]:
    # A generous bound so a broken delivery fails the test instead of hanging it.
    return [events.get(timeout=10) for _ in range(count)]


def test_sandbox_events_received_and_parsed() -> None:
    events: queue.Queue[AnyWebhookEvent] = queue.Queue()
    verifier = HmacVerifier(SECRET)

    with (
        WebhookReceiver(
            token=TOKEN,
            verifier=verifier,
            on_event=events.put,
            deduplicator=Deduplicator(),
        ) as receiver,
        sandbox_module.Sandbox(
            port=0,
            webhook_url=receiver.url,
            webhook_signer=HmacSigner(SECRET).headers,
            advance_interval_s=0.05,
        ) as sandbox,
        Shippo(api_key_header=API_KEY, server_url=sandbox.url) as client,
    ):
        track = client.tracking_status.create(
            request={"carrier": "shippo", "tracking_number": "SHIPPO_TRANSIT"}
        )
        received = _collect(events, 2)

    assert track.tracking_number == "SHIPPO_TRANSIT"
    assert all(isinstance(event, TrackUpdatedEvent) for event in received)
    tracked = [e for e in received if isinstance(e, TrackUpdatedEvent)]
    assert all(event.test is True for event in tracked)
    assert {event.data.tracking_number for event in tracked} == {"SHIPPO_TRANSIT"}
    assert {event.data.carrier for event in tracked} == {"shippo"}

    ordered = sort_by_status_date(tracked)
    statuses = [e.data.tracking_status.status for e in ordered]  # type: ignore[union-attr]
    assert statuses == ["TRANSIT", "DELIVERED"]
    assert len({event.dedup_key for event in tracked}) == 2
    assert len(ordered[1].data.tracking_history) > len(ordered[0].data.tracking_history)
    assert receiver.rejected == 0


def test_forged_and_altered_deliveries_rejected() -> None:
    events: queue.Queue[AnyWebhookEvent] = queue.Queue()
    verifier = HmacVerifier(SECRET)

    with (
        WebhookReceiver(
            token=TOKEN, verifier=verifier, on_event=events.put
        ) as receiver,
        sandbox_module.Sandbox(
            port=0,
            webhook_url=receiver.url,
            webhook_signer=HmacSigner("not-the-secret").headers,
            advance_interval_s=0,
        ) as sandbox,
        Shippo(api_key_header=API_KEY, server_url=sandbox.url) as client,
    ):
        client.tracking_status.create(
            request={"carrier": "shippo", "tracking_number": "SHIPPO_DELIVERED"}
        )
        record = _wait_for_delivery(sandbox)

        # Replay the sandbox's genuine body with a valid signature, then altered.
        signed = HmacSigner(SECRET).headers(record.body)
        altered = record.body.replace(b"DELIVERED", b"RETURNED")
        altered_status = httpx.post(receiver.url, content=altered, headers=signed)
        genuine_status = httpx.post(receiver.url, content=record.body, headers=signed)

    assert record.http_status == 401
    assert record.delivered is False
    assert altered_status.status_code == 401
    assert genuine_status.status_code == 200
    assert events.qsize() == 1


def _wait_for_delivery(sandbox: Any) -> Any:
    # Polls the sandbox's delivery log: the first record with a response is
    # enough to see the receiver's response status.
    for _ in range(200):
        records = [r for r in sandbox.deliveries if r.http_status is not None]
        if records:
            return records[0]
        time.sleep(0.05)
    raise AssertionError("the sandbox made no delivery attempt")
