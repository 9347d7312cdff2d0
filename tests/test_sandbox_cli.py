"""``python -m shippo_client.sandbox``: options, errors and a foreground run."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx
import pytest

from shippo_client.sandbox.__main__ import build_parser, main, settings_from_args


def test_options_map_to_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHIPPO_SANDBOX_API_KEY", "shippo_test_only")
    args = build_parser().parse_args(
        [
            "--rate-limit-per-minute",
            "50",
            "--fault-429-permille",
            "10",
            "--fault-5xx-permille",
            "20",
            "--fault-stall-permille",
            "5",
            "--stall-seconds",
            "1.5",
            "--seed",
            "4",
            "--webhook-url",
            "http://127.0.0.1:9000/hook",
            "--advance-interval-s",
            "0",
        ]
    )

    assert settings_from_args(args) == {
        "rate_limit_per_minute": 50,
        "fault_429_permille": 10,
        "fault_5xx_permille": 20,
        "fault_stall_permille": 5,
        "stall_seconds": 1.5,
        "seed": 4,
        "webhook_url": "http://127.0.0.1:9000/hook",
        "advance_interval_s": 0.0,
        "api_key": "shippo_test_only",
    }


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHIPPO_SANDBOX_API_KEY", raising=False)
    args = build_parser().parse_args([])

    assert args.port == 8765
    assert args.host == "127.0.0.1"
    assert settings_from_args(args)["api_key"] is None
    assert settings_from_args(args)["rate_limit_per_minute"] is None


def test_bad_webhook_url_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--port", "0", "--webhook-url", "http://example.com/hook"])

    assert code == 2
    assert "loopback" in capsys.readouterr().err


def test_foreground_serve_until_interrupt() -> None:
    command = [sys.executable, "-m", "shippo_client.sandbox", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        url = banner.split(" on ", 1)[1].split()[0]
        headers = {"Authorization": "ShippoToken shippo_test_cli"}
        response = httpx.get(f"{url}/tracks/shippo/SHIPPO_DELIVERED", headers=headers)

        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert url.startswith("http://127.0.0.1:")
    assert response.status_code == 200
    assert code == 0
