"""shippo-track batch: every row once, resume, rate, 429 slowdown, exit codes."""

from __future__ import annotations

import asyncio
import csv
import json
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shippo_client import RetryConfig, Shippo
from shippo_client.cli import main
from shippo_client.cli._batch_io import InputRow, ResultWriter, read_done_keys
from shippo_client.cli._batch_runner import BatchStats, run_rows
from shippo_client.cli._limiter import RateLimiter
from shippo_client.sandbox import Sandbox
from virtualclock import VirtualClock

NUMBERS = [
    "SHIPPO_PRE_TRANSIT",
    "SHIPPO_TRANSIT",
    "SHIPPO_DELIVERED",
    "SHIPPO_RETURNED",
    "SHIPPO_FAILURE",
    "SHIPPO_UNKNOWN",
]
KEY = "shippo_test_batch"


class RecordingTransport(httpx.AsyncBaseTransport):
    """Forwards to the sandbox and notes the virtual time and status of each call."""

    def __init__(self, clock: VirtualClock) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self._clock = clock
        self.sent: list[float] = []
        self.statuses: Counter[int] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(self._clock())
        response = await self._inner.handle_async_request(request)
        self.statuses[response.status_code] += 1
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _rows(count: int) -> Iterator[InputRow]:
    for index in range(1, count + 1):
        yield InputRow(index, "shippo", NUMBERS[index % len(NUMBERS)])


def _write_csv(path: Path, count: int) -> None:
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["carrier", "tracking_number"])
        for row in _rows(count):
            writer.writerow([row.carrier, row.number])


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def _run(
    url: str,
    rows: Iterator[InputRow],
    out: Path,
    *,
    rate: float,
    clock: VirtualClock,
    transport: RecordingTransport,
    timeout_ms: int = 5_000,
    max_attempts: int = 4,
    stop_after: int | None = None,
) -> BatchStats:
    client = Shippo(
        KEY,
        server_url=url,
        timeout_ms=timeout_ms,
        retry_config=RetryConfig("none"),
        async_client=httpx.AsyncClient(base_url=url, transport=transport),
    )
    limiter = RateLimiter(rate, clock=clock, sleep=clock.sleep)
    done = 0
    task = asyncio.current_task()

    def on_row(failed: bool) -> None:
        nonlocal done
        done += 1
        if stop_after is not None and done == stop_after and task is not None:
            task.cancel()  # what asyncio.run does on Ctrl-C

    with out.open("a") as file:
        writer = ResultWriter(file, "jsonl", write_header=False)
        try:
            return await run_rows(
                rows,
                client=client,
                writer=writer,
                limiter=limiter,
                concurrency=8,
                max_attempts=max_attempts,
                on_row=on_row,
            )
        finally:
            await client.async_http.aclose()


def test_every_row_once_with_faults(tmp_path: Path) -> None:
    clock = VirtualClock()
    transport = RecordingTransport(clock)
    out = tmp_path / "out.jsonl"
    sandbox = Sandbox(
        port=0,
        fault_429_permille=100,
        fault_5xx_permille=100,
        fault_stall_permille=30,
        stall_seconds=0.5,
        seed=7,
        clock=clock,
    )
    with sandbox:
        stats = asyncio.run(
            _run(
                sandbox.url,
                _rows(150),
                out,
                rate=3000,
                clock=clock,
                transport=transport,
                timeout_ms=200,
            )
        )

    rows = Counter(record["row"] for record in _read_jsonl(out))
    assert sorted(rows) == list(range(1, 151))
    assert set(rows.values()) == {1}
    assert stats.written == 150
    assert transport.statuses[429] > 0
    assert transport.statuses[502] + transport.statuses[503] > 0


def test_interrupted_run_resumes_to_same_rows(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    source = tmp_path / "in.csv"
    _write_csv(source, 60)
    clock = VirtualClock()

    with Sandbox(port=0, clock=clock) as sandbox:
        with pytest.raises(asyncio.CancelledError):
            asyncio.run(
                _run(
                    sandbox.url,
                    _rows(60),
                    out,
                    rate=6000,
                    clock=clock,
                    transport=RecordingTransport(clock),
                    stop_after=20,
                )
            )
        partial = {record["row"] for record in _read_jsonl(out)}
        code = main(
            [
                "batch",
                str(source),
                "--base-url",
                sandbox.url,
                "--api-key",
                KEY,
                "--rate",
                "60000",
                "--output",
                str(out),
                "--resume",
            ]
        )

    rows = Counter(record["row"] for record in _read_jsonl(out))
    assert 20 <= len(partial) < 60
    assert code == 0
    assert sorted(rows) == list(range(1, 61))
    assert set(rows.values()) == {1}


def test_observed_rate_matches_rate_option(tmp_path: Path) -> None:
    clock = VirtualClock()
    transport = RecordingTransport(clock)

    with Sandbox(port=0, clock=clock) as sandbox:
        asyncio.run(
            _run(
                sandbox.url,
                _rows(120),
                tmp_path / "out.jsonl",
                rate=500,
                clock=clock,
                transport=transport,
            )
        )

    sent = sorted(transport.sent)
    observed = (len(sent) - 1) / (sent[-1] - sent[0]) * 60
    assert len(sent) == 120
    assert observed == pytest.approx(500, rel=0.05)


def test_server_429s_slow_the_limiter(tmp_path: Path) -> None:
    clock = VirtualClock()
    transport = RecordingTransport(clock)
    out = tmp_path / "out.jsonl"

    with Sandbox(port=0, rate_limit_per_minute=60, clock=clock) as sandbox:
        stats = asyncio.run(
            _run(
                sandbox.url,
                _rows(200),
                out,
                rate=240,
                clock=clock,
                transport=transport,
                max_attempts=10,
            )
        )

    assert stats.failed == 0
    assert transport.statuses[200] == 200
    # Retrying at full speed would meet a 429 on most requests after the
    # sandbox's burst of 60; slowing down keeps them a small share.
    assert transport.statuses[429] < 30


def test_reads_input_lazily(tmp_path: Path) -> None:
    clock = VirtualClock()
    consumed = 0
    finished = 0
    lead: list[int] = []

    def rows() -> Iterator[InputRow]:
        nonlocal consumed
        for row in _rows(100):
            consumed += 1
            lead.append(consumed - finished)
            yield row

    class CountingWriter(ResultWriter):
        def write(self, record: dict[str, object]) -> None:
            nonlocal finished
            finished += 1
            super().write(record)

    async def scenario(url: str) -> None:
        client = Shippo(KEY, server_url=url, retry_config=RetryConfig("none"))
        limiter = RateLimiter(60_000, clock=clock, sleep=clock.sleep)
        with (tmp_path / "out.jsonl").open("w") as file:
            await run_rows(
                rows(),
                client=client,
                writer=CountingWriter(file, "jsonl", write_header=False),
                limiter=limiter,
                concurrency=4,
            )
        await client.aclose()

    with Sandbox(port=0, clock=clock) as sandbox:
        asyncio.run(scenario(sandbox.url))

    # Queue (2 x 4) + workers (4) + the row being put: never the whole file.
    assert finished == 100
    assert max(lead) <= 13


def test_cli_batch_csv_with_invalid_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "id,carrier,number\n1,shippo,SHIPPO_TRANSIT\n2,usps,9205\n3,shippo,\n"
    )
    out = tmp_path / "out.csv"

    code = main(
        [
            "batch",
            str(source),
            "--sandbox",
            "--number-column",
            "number",
            "--rate",
            "60000",
            "--output",
            str(out),
        ]
    )

    with out.open(newline="") as file:
        records = {int(record["row"]): record for record in csv.DictReader(file)}
    assert code == 1
    assert records[1]["status"] == "TRANSIT"
    assert records[2]["error_type"] == "BadRequestError"
    assert records[2]["status_code"] == "400"
    assert records[3]["error_type"] == "InvalidInputRow"
    assert "Summary" in capsys.readouterr().err


def test_cli_batch_jsonl_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"carrier": "shippo", "tracking_number": "SHIPPO_DELIVERED"}\n'
        "not json\n"
        "\n"
        '{"carrier": "shippo", "tracking_number": "SHIPPO_UNKNOWN"}\n'
    )

    code = main(["batch", str(source), "--sandbox", "--rate", "60000"])

    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_row = {record["row"]: record for record in records}
    assert code == 1
    assert sorted(by_row) == [1, 2, 3]
    assert by_row[1]["status"] == "DELIVERED"
    assert by_row[2]["error_type"] == "InvalidInputRow"
    assert by_row[3]["status"] == "UNKNOWN"


def test_cli_batch_all_ok_exits_0(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    _write_csv(source, 12)

    code = main(
        [
            "batch",
            str(source),
            "--sandbox",
            "--rate",
            "60000",
            "--output",
            str(tmp_path / "out.jsonl"),
        ]
    )

    assert code == 0


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        ("carrier,number\n", [], "no column 'tracking_number'"),
        ("carrier,tracking_number\n", ["--resume"], "--resume needs --output"),
    ],
)
def test_cli_batch_usage_errors(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    extra: list[str],
    message: str,
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(content)

    code = main(["batch", str(source), "--sandbox", *extra])

    assert code == 2
    assert message in capsys.readouterr().err


def test_cli_batch_unknown_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.dat"
    source.write_text("carrier,tracking_number\n")

    assert main(["batch", str(source), "--sandbox"]) == 2
    assert "--input-format" in capsys.readouterr().err


def test_resume_drops_partial_last_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(
        '{"row": 1, "carrier": "shippo", "tracking_number": "A"}\n{"row": 2, "car'
    )

    done = read_done_keys(str(out), "jsonl")

    assert len(done) == 1
    assert out.read_text().endswith("}\n")


def test_sigint_keeps_finished_rows(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    _write_csv(source, 40)
    out = tmp_path / "out.jsonl"
    command = "from shippo_client.cli import main; raise SystemExit(main())"
    argv = ["batch", str(source), "--sandbox", "--output", str(out), "--rate"]

    process = subprocess.Popen(
        [sys.executable, "-c", command, *argv, "300"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for_lines(out, 3, process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    partial = _read_jsonl(out)
    code = main([*argv, "60000", "--resume"])

    rows = Counter(record["row"] for record in _read_jsonl(out))
    assert process.returncode == 130
    assert "--resume" in err
    assert "Traceback" not in err
    assert 3 <= len(partial) < 40
    assert code == 0
    assert sorted(rows) == list(range(1, 41))
    assert set(rows.values()) == {1}


def _wait_for_lines(path: Path, count: int, process: subprocess.Popen[str]) -> None:
    # Polls the output file; the deadline only guards against a hung child.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and path.read_text().count("\n") >= count:
            return
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the batch did not write {count} rows; rc={process.poll()}")
