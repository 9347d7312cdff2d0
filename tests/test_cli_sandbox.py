"""shippo-track sandbox: serves test mode in the foreground until SIGINT."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import pytest

from shippo_client import Shippo, errors


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get_when_up(url: str) -> str:
    # Retries until the child process has bound the port.
    deadline = time.monotonic() + 15
    with Shippo("shippo_test_x", server_url=url) as client:
        while True:
            try:
                track = client.tracking_status.get("SHIPPO_TRANSIT", "shippo")
            except errors.APIConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
                continue
            return str(track.tracking_status.status)  # type: ignore[union-attr]


def test_sandbox_command_serves_until_sigint() -> None:
    port = _free_port()
    command = "from shippo_client.cli import main; raise SystemExit(main())"
    process = subprocess.Popen(
        [sys.executable, "-c", command, "sandbox", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = _get_when_up(f"http://127.0.0.1:{port}")
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)

    assert status == "TRANSIT"
    assert process.returncode == 0
    assert f"127.0.0.1:{port}" in out
    assert "Traceback" not in err


@pytest.mark.parametrize("permille", ["-1", "1001", "x"])
def test_sandbox_fault_out_of_range(permille: str) -> None:
    from shippo_client.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["sandbox", "--fault-429", permille])

    assert exit_info.value.code == 2
