"""shippo-track batch retries: 429 pacing, error text, ETA and --retry-failed."""

from __future__ import annotations

import asyncio
import csv
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from shippo_client import RetryConfig, Shippo
from shippo_client.cli import main
from shippo_client.cli._batch_io import InputRow, ResultWriter
from shippo_client.cli._batch_runner import BatchStats, run_rows
from shippo_client.cli._limiter import RateLimiter
from shippo_client.cli._progress import LineProgress, eta_seconds
from shippo_client.sandbox import Sandbox
from virtualclock import VirtualClock

KEY = "shippo_test_retries"


class StatusCounter(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.statuses: Counter[int] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        self.statuses[response.status_code] += 1
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _rows(count: int) -> Iterator[InputRow]:
    for index in range(1, count + 1):
        yield InputRow(index, "shippo", "SHIPPO_TRANSIT")


async def _run(
    url: str, out: Path, clock: VirtualClock, transport: StatusCounter
) -> BatchStats:
    client = Shippo(
        KEY,
        server_url=url,
        retry_config=RetryConfig("none"),
        async_client=httpx.AsyncClient(base_url=url, transport=transport),
    )
    limiter = RateLimiter(500, clock=clock, sleep=clock.sleep)
    with out.open("w") as file:
        try:
            return await run_rows(
                _rows(29),
                client=client,
                writer=ResultWriter(file, "jsonl", write_header=False),
                limiter=limiter,
                concurrency=8,
                max_attempts=4,
            )
        finally:
            await client.async_http.aclose()


def test_rate_limited_rows_all_succeed(tmp_path: Path) -> None:
    clock = VirtualClock()
    transport = StatusCounter()

    with Sandbox(port=0, rate_limit_per_minute=20, clock=clock) as sandbox:
        stats = asyncio.run(_run(sandbox.url, tmp_path / "out.jsonl", clock, transport))

    assert stats.written == 29
    assert stats.counts == Counter({"TRANSIT": 29})
    assert transport.statuses[200] == 29
    assert transport.statuses[429] > 0


def test_rate_limit_message_reads_once(tmp_path: Path) -> None:
    clock = VirtualClock()
    out = tmp_path / "out.jsonl"

    async def scenario(url: str) -> None:
        client = Shippo(KEY, server_url=url, retry_config=RetryConfig("none"))
        limiter = RateLimiter(60_000, clock=clock, sleep=clock.sleep)
        with out.open("w") as file:
            await run_rows(
                _rows(3),
                client=client,
                writer=ResultWriter(file, "jsonl", write_header=False),
                limiter=limiter,
                concurrency=1,
                max_attempts=1,
            )
        await client.aclose()

    with Sandbox(port=0, rate_limit_per_minute=1, clock=clock) as sandbox:
        asyncio.run(scenario(sandbox.url))

    failed = [
        record
        for record in map(json.loads, out.read_text().splitlines())
        if record["error_type"] == "RateLimitError"
    ]
    # The limiter waits out the Retry-After of row 2's 429, so row 3 succeeds.
    assert len(failed) == 1
    message = failed[0]["error_message"]
    assert message.startswith("Too many requests: rate limit exceeded. Retry in ")
    assert message.lower().count("too many requests") == 1


class FixedRate:
    def __init__(self, per_minute: float, wait_s: float) -> None:
        self.per_minute = per_minute
        self.wait_s = wait_s


def test_eta_uses_limiter_rate() -> None:
    # 20 rows in 3 s is 400 rows/min, but the limiter now allows 20/min and
    # holds the next request for 2 s: 9 rows take 2 + 27 s.
    eta = eta_seconds(20, 29, 3.0, FixedRate(20.0, 2.0))

    assert eta == pytest.approx(29.0)
    assert eta_seconds(20, 29, 3.0, None) == pytest.approx(1.35)
    assert eta_seconds(0, 29, 3.0, FixedRate(20.0, 0.0)) is None


def test_progress_line_singular_error() -> None:
    console = Console(record=True, width=200)
    ticks = iter([0.0, 1.0, 2.0])

    with LineProgress(console, 2, clock=lambda: next(ticks)) as progress:
        progress.advance(failed=True)

    line = console.export_text()
    assert "1/2 rows done, 1 error, " in line
    assert "errors" not in line


def _write_input(path: Path, count: int) -> None:
    lines = ["carrier,tracking_number"]
    lines += [f"shippo,{number}" for number in ["SHIPPO_TRANSIT"] * count]
    path.write_text("\n".join(lines) + "\n")


def _previous_records() -> list[dict[str, object]]:
    base = {
        "carrier": "shippo",
        "tracking_number": "SHIPPO_TRANSIT",
        "substatus": None,
        "status_date": None,
        "location": None,
        "eta": None,
    }
    return [
        {
            "row": 1,
            **base,
            "status": "TRANSIT",
            "error_type": None,
            "status_code": None,
            "error_message": None,
        },
        {
            "row": 2,
            **base,
            "status": None,
            "error_type": "RateLimitError",
            "status_code": 429,
            "error_message": "retry me",
        },
        {
            "row": 3,
            **base,
            "status": None,
            "error_type": "BadRequestError",
            "status_code": 400,
            "error_message": "keep me",
        },
        {
            "row": 4,
            **base,
            "status": None,
            "error_type": "APITimeoutError",
            "status_code": None,
            "error_message": "retry me",
        },
    ]


def _write_previous(path: Path) -> None:
    with path.open("w", newline="") as file:
        writer = ResultWriter(
            file, "csv" if path.suffix == ".csv" else "jsonl", write_header=True
        )
        for record in _previous_records():
            writer.write(record)


def _read_rows(path: Path) -> list[dict[str, object]]:
    if path.suffix == ".csv":
        with path.open(newline="") as file:
            return [dict(record) for record in csv.DictReader(file)]
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.mark.parametrize("name", ["out.jsonl", "out.csv"])
def test_retry_failed_rewrites_output(tmp_path: Path, name: str) -> None:
    source = tmp_path / "in.csv"
    _write_input(source, 5)
    out = tmp_path / name
    _write_previous(out)
    first_line = out.read_text().splitlines()[0 if name.endswith("jsonl") else 1]

    code = main(
        [
            "batch",
            str(source),
            "--sandbox",
            "--rate",
            "60000",
            "-o",
            str(out),
            "--resume",
            "--retry-failed",
        ]
    )

    records = _read_rows(out)
    by_row = {int(str(record["row"])): record for record in records}
    assert code == 0
    assert len(records) == 5
    assert sorted(by_row) == [1, 2, 3, 4, 5]
    assert [by_row[row]["status"] for row in (2, 4, 5)] == ["TRANSIT"] * 3
    assert by_row[3]["error_type"] == "BadRequestError"
    assert by_row[3]["error_message"] == "keep me"
    assert first_line in out.read_text().splitlines()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv", name]


def test_resume_alone_keeps_failed_rows(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    _write_input(source, 4)
    out = tmp_path / "out.jsonl"
    _write_previous(out)
    before = out.read_text()

    code = main(
        [
            "batch",
            str(source),
            "--sandbox",
            "--rate",
            "60000",
            "-o",
            str(out),
            "--resume",
        ]
    )

    assert code == 0
    assert out.read_text() == before


def test_retry_failed_needs_resume(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    _write_input(source, 1)

    code = main(
        [
            "batch",
            str(source),
            "--sandbox",
            "-o",
            str(tmp_path / "o.jsonl"),
            "--retry-failed",
        ]
    )

    assert code == 2
    assert "--retry-failed needs --resume" in capsys.readouterr().err
