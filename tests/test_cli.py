"""shippo-track get, register, watch, usage errors and completion."""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess

import pytest
from rich.console import Console

from shippo_client import errors
from shippo_client.cli import main
from shippo_client.cli._completion import completion_script
from shippo_client.cli._context import report_error
from shippo_client.cli._parser import build_parser
from shippo_client.cli._track_commands import WatchClock, run_watch
from shippo_client.sandbox import TEST_NUMBERS, Sandbox


@pytest.fixture(autouse=True)
def _no_key_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHIPPO_API_KEY", raising=False)
    monkeypatch.delenv("SHIPPO_SERVER_URL", raising=False)


@pytest.mark.parametrize("number", sorted(TEST_NUMBERS))
def test_get_sandbox_prints_history(
    number: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["get", "--sandbox", "shippo", number])

    out = capsys.readouterr().out
    assert code == 0
    assert f"shippo {number}" in out
    assert "History" in out
    status = number.removeprefix("SHIPPO_")
    assert status in out


def test_get_json_is_the_track(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--sandbox", "get", "shippo", "SHIPPO_DELIVERED", "--json"])

    track = json.loads(capsys.readouterr().out)
    assert code == 0
    assert track["tracking_number"] == "SHIPPO_DELIVERED"
    assert track["tracking_status"]["status"] == "DELIVERED"
    assert track["tracking_history"][0]["status_date"].endswith("+00:00")


def test_get_real_carrier_in_sandbox_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["get", "--sandbox", "usps", "9205590164917312751089"])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "BadRequestError (400)" in lines[0]
    assert "not a valid test tracking carrier" in lines[0]
    assert "Traceback" not in captured.err


def test_get_wrong_key_hides_key(capsys: pytest.CaptureFixture[str]) -> None:
    secret = "shippo_test_wrongwrongwrong"
    with Sandbox(port=0, api_key="shippo_test_right") as sandbox:
        code = main(
            [
                "get",
                "--base-url",
                sandbox.url,
                "--api-key",
                secret,
                "shippo",
                "SHIPPO_TRANSIT",
            ]
        )

    captured = capsys.readouterr()
    assert code == 1
    assert "AuthenticationError (401)" in captured.err
    assert secret not in captured.err + captured.out


def test_get_without_key_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["get", "shippo", "SHIPPO_TRANSIT"])

    err = capsys.readouterr().err
    assert code == 2
    assert err == (
        "shippo-track: error: ConfigurationError: missing API key: pass "
        "--api-key KEY or set SHIPPO_API_KEY (or use --sandbox)\n"
    )
    assert "api_key_header" not in err


def test_connection_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    error = errors.APIConnectionError(
        "connection refused\n(errno 111)", method="GET", path="/tracks/shippo/X"
    )

    code = report_error(error)

    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "shippo-track: error: APIConnectionError: "
        "GET /tracks/shippo/X: connection refused (errno 111)\n"
    )


def test_register_prints_track(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["register", "--sandbox", "shippo", "SHIPPO_TRANSIT", "--metadata", "order 7"]
    )

    out = capsys.readouterr().out
    assert code == 0
    assert "shippo SHIPPO_TRANSIT" in out
    assert "TRANSIT" in out


def test_register_long_metadata_is_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["register", "--sandbox", "shippo", "SHIPPO_TRANSIT", "--metadata", "x" * 101]
    )

    assert code == 2
    assert "RequestValidationError" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["get", "shippo"],
        ["watch", "shippo", "SHIPPO_TRANSIT", "--interval", "1"],
        ["get", "--timeout", "0", "shippo", "SHIPPO_TRANSIT"],
        ["batch", "in.csv", "--rate", "-5"],
        ["completion", "fish"],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)

    assert exit_info.value.code == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])

    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("shippo-track ")


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_lists_commands(
    shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["completion", shell])

    script = capsys.readouterr().out
    assert code == 0
    assert "complete -o default -F _shippo_track shippo-track" in script
    for word in ("get", "batch", "watch", "--concurrency", "--resume"):
        assert word in script


class _FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _watch_args(number: str, max_time: float | None) -> argparse.Namespace:
    return argparse.Namespace(
        carrier="shippo",
        number=number,
        interval=30.0,
        max_time=max_time,
        api_key=None,
        base_url=None,
        api_version=None,
        timeout=5.0,
        sandbox=True,
    )


def test_watch_stops_at_final_status() -> None:
    console = Console(record=True, width=200)
    clock = _FakeClock()

    code = run_watch(
        _watch_args("SHIPPO_DELIVERED", None),
        console,
        WatchClock(clock.monotonic, clock.sleep),
    )

    text = console.export_text()
    assert code == 0
    assert clock.sleeps == []
    assert "Final status DELIVERED after 1 poll." in text
    assert text.count("DELIVERED (delivered)") == 1


def test_watch_prints_each_event_once() -> None:
    console = Console(record=True, width=200)
    clock = _FakeClock()

    code = run_watch(
        _watch_args("SHIPPO_TRANSIT", 100.0),
        console,
        WatchClock(clock.monotonic, clock.sleep),
    )

    text = console.export_text()
    assert code == 3
    assert clock.sleeps == [30.0, 30.0, 30.0]
    assert text.count("Your shipment has departed from the origin.") == 1
    assert "Stopped after 4 polls: the next poll would come after --max-time" in text
    assert "still TRANSIT" in text


def test_watch_max_time_below_interval() -> None:
    console = Console(record=True, width=200)
    clock = _FakeClock()
    args = _watch_args("SHIPPO_TRANSIT", 5.0)

    code = run_watch(args, console, WatchClock(clock.monotonic, clock.sleep))

    text = console.export_text()
    assert code == 3
    assert clock.sleeps == []
    assert (
        "Stopped after 1 poll: the next poll would come after --max-time 5 s. "
        "The status is still TRANSIT." in text
    )
    assert "Stopped after --max-time" not in text


def _complete(words: list[str]) -> list[str]:
    # Runs the generated function the way bash does on TAB: COMP_WORDS holds
    # the command line and COMP_CWORD the index of the word being completed.
    parser = build_parser()
    quoted = " ".join(shlex.quote(word) for word in ["shippo-track", *words])
    script = completion_script(parser, "bash") + (
        f"\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words)}; _shippo_track; "
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["completion", ""], ["bash", "zsh"]),
        (["completion", "z"], ["zsh"]),
        (["--api-key", "K", "completion", "b"], ["bash"]),
        (["batch", "in.csv", "--input-format", ""], ["csv", "jsonl"]),
        (["--sandbox", "ba"], ["batch"]),
        (["get", "--j"], ["--json"]),
    ],
)
def test_bash_completion_offers_choices(words: list[str], expected: list[str]) -> None:
    assert _complete(words) == expected
