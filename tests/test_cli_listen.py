"""shippo-track listen: each webhook delivery is printed as it arrives."""

from __future__ import annotations

import argparse
import json
import socket
import threading
import time

import httpx
import pytest
from rich.console import Console

from shippo_client import Shippo
from shippo_client.cli._serve_commands import run_listen
from shippo_client.sandbox import Sandbox


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _payload() -> bytes:
    with (
        Sandbox(port=0) as sandbox,
        Shippo("shippo_test_x", server_url=sandbox.url) as client,
    ):
        track = client.tracking_status.get("SHIPPO_DELIVERED", "shippo")
    body = {"event": "track_updated", "test": True, "data": track.to_dict()}
    return json.dumps(body).encode()


def _post_when_up(url: str, body: bytes) -> httpx.Response:
    # Retries until the listener's thread has bound the port.
    deadline = time.monotonic() + 10
    while True:
        try:
            return httpx.post(
                url, content=body, headers={"Content-Type": "application/json"}
            )
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


@pytest.mark.parametrize("as_json", [False, True])
def test_listen_prints_delivery(as_json: bool) -> None:
    port = _free_port()
    console = Console(record=True, width=200)
    stop = threading.Event()
    args = argparse.Namespace(port=port, json=as_json, token=None, secret=None)
    codes: list[int] = []
    thread = threading.Thread(
        target=lambda: codes.append(run_listen(args, console, stop))
    )
    thread.start()
    try:
        response = _post_when_up(f"http://127.0.0.1:{port}/", _payload())
    finally:
        stop.set()
        thread.join()

    text = console.export_text()
    assert response.status_code == 200
    assert codes == [0]
    if as_json:
        event = json.loads(text.strip().splitlines()[-1])
        assert event["event"] == "track_updated"
        assert event["data"]["tracking_status"]["status"] == "DELIVERED"
    else:
        assert "shippo SHIPPO_DELIVERED" in text
        assert "DELIVERED (delivered)" in text
