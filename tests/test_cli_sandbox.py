"""shippo-track sandbox: serving, one-line errors, the key and signed webhooks."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from rich.console import Console

from shippo_client import Shippo, errors
from shippo_client.cli._serve_commands import run_listen, run_sandbox, sandbox_settings
from shippo_client.sandbox import DeliveryRecord, Sandbox


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


def _sandbox_args(*argv: str) -> argparse.Namespace:
    from shippo_client.cli._parser import build_parser

    return build_parser().parse_args(["sandbox", *argv])


def test_sandbox_remote_webhook_url_is_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from shippo_client.cli import main

    code = main(["sandbox", "--port", "0", "--webhook-url", "http://example.com/"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("shippo-track sandbox: error: --webhook-url must point")
    assert "'example.com'" in err
    assert "Traceback" not in err


def test_sandbox_busy_port_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from shippo_client.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["sandbox", "--port", str(port)])

    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith(
        f"shippo-track sandbox: error: cannot listen on 127.0.0.1:{port}"
    )
    assert "Traceback" not in err


def test_sandbox_key_comes_from_env() -> None:
    args = _sandbox_args()

    settings = sandbox_settings(args, {"SHIPPO_SANDBOX_API_KEY": "shippo_test_only"})
    with (
        Sandbox(0, **settings) as sandbox,
        Shippo("shippo_test_other", server_url=sandbox.url) as client,
        pytest.raises(errors.AuthenticationError),
    ):
        client.tracking_status.get("SHIPPO_TRANSIT", "shippo")

    assert "SHIPPO_SANDBOX_API_KEY" in (build_help("sandbox"))


def build_help(command: str) -> str:
    from shippo_client.cli._parser import build_parser

    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return str(action.choices[command].format_help())
    raise AssertionError(command)


def test_sandbox_without_secret_is_unsigned() -> None:
    settings = sandbox_settings(_sandbox_args(), {})

    assert settings["webhook_signer"] is None
    assert settings["api_key"] is None


def test_sandbox_missing_secret_env_is_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from shippo_client.cli import main

    monkeypatch.delenv("HOOK_SECRET", raising=False)

    code = main(["sandbox", "--port", "0", "--webhook-secret-env", "HOOK_SECRET"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "$HOOK_SECRET is not set" in err


def _listen(
    port: int, secret: str | None, console: Console
) -> tuple[threading.Thread, threading.Event, list[int]]:
    stop = threading.Event()
    args = argparse.Namespace(port=port, json=True, token=None, secret=secret)
    codes: list[int] = []
    thread = threading.Thread(
        target=lambda: codes.append(run_listen(args, console, stop))
    )
    thread.start()
    return thread, stop, codes


def _delivered_once(sandbox: Sandbox) -> DeliveryRecord:
    deadline = time.monotonic() + 15
    while True:
        records = sandbox.deliveries
        if records and (records[0].delivered or records[0].attempts >= 4):
            return records[0]
        assert time.monotonic() < deadline, records
        time.sleep(0.02)


@pytest.mark.parametrize(
    ("listen_secret", "accepted"), [("s3cret-hook", True), ("other", False)]
)
def test_sandbox_signs_for_listen(
    listen_secret: str,
    accepted: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = "s3cret-hook"
    monkeypatch.setenv("HOOK_SECRET", secret)
    monkeypatch.setenv("SHIPPO_WEBHOOK_SECRET", listen_secret)
    port = _free_port()
    console = Console(record=True, width=200)
    args = _sandbox_args(
        "--webhook-url",
        f"http://127.0.0.1:{port}/",
        "--webhook-secret-env",
        "HOOK_SECRET",
    )
    settings = sandbox_settings(args, os.environ)
    thread, stop, codes = _listen(port, None, console)
    try:
        _wait_for_port(port)
        with (
            Sandbox(
                0, **settings, advance_interval_s=0, delivery_backoff_s=0.01
            ) as sandbox,
            Shippo("shippo_test_x", server_url=sandbox.url) as client,
        ):
            client.tracking_status.create(
                {"carrier": "shippo", "tracking_number": "SHIPPO_DELIVERED"}
            )
            record = _delivered_once(sandbox)
    finally:
        stop.set()
        thread.join()

    text = console.export_text()
    assert codes == [0]
    assert record.delivered is accepted
    assert ('"DELIVERED"' in text) is accepted
    assert secret not in text + capsys.readouterr().err


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline
            time.sleep(0.02)


def test_sandbox_banner_names_env_not_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHIPPO_WEBHOOK_SECRET", "s3cret-hook")
    monkeypatch.setenv("SHIPPO_SANDBOX_API_KEY", "shippo_test_only")
    console = Console(record=True, width=200)
    stop = threading.Event()
    stop.set()
    args = _sandbox_args("--port", "0", "--webhook-url", "http://127.0.0.1:9/")

    code = run_sandbox(args, console, stop)

    text = console.export_text()
    assert code == 0
    assert "Shippo sandbox listening on http://127.0.0.1:" in text
    assert "$SHIPPO_SANDBOX_API_KEY" in text
    assert "$SHIPPO_WEBHOOK_SECRET" in text
    assert "s3cret-hook" not in text
    assert "shippo_test_only" not in text
