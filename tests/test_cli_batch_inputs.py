"""shippo-track batch on hostile input: each input row gets one output row."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shippo_client import RetryConfig, Shippo
from shippo_client.cli import main
from shippo_client.cli._batch_io import InputRow, ResultWriter, read_done_keys
from shippo_client.cli._batch_runner import run_rows
from shippo_client.cli._limiter import RateLimiter
from shippo_client.sandbox import Sandbox

GOOD = '{"carrier": "shippo", "tracking_number": "SHIPPO_TRANSIT"}'
KEY = "shippo_test_inputs"


def _batch(source: Path, out: Path, *extra: str) -> int:
    return main(
        ["batch", str(source), "--sandbox", "--rate", "60000", "-o", str(out), *extra]
    )


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


BAD_JSONL_LINES = {
    "lone surrogate": (
        '{"carrier": "shippo", "tracking_number": "\\ud800"}',
        "lone surrogate",
    ),
    "5000-digit integer": (
        '{"carrier": "shippo", "tracking_number": ' + "1" * 5000 + "}",
        "invalid JSON: Exceeds the limit",
    ),
    "deep nesting": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "long number": (
        json.dumps({"carrier": "shippo", "tracking_number": "9" * 100_000}),
        "the tracking number has 100000 characters; the maximum is 128",
    ),
    "long carrier": (
        json.dumps({"carrier": "c" * 65, "tracking_number": "SHIPPO_TRANSIT"}),
        "the carrier has 65 characters; the maximum is 64",
    ),
    "number a float": (
        '{"carrier": "shippo", "tracking_number": 9205.5}',
        "the tracking number must be a string or an integer, not a floating-point",
    ),
    "number a boolean": (
        '{"carrier": "shippo", "tracking_number": true}',
        "the tracking number must be a string or an integer, not a boolean",
    ),
    "number negative": (
        '{"carrier": "shippo", "tracking_number": -9205}',
        "not a negative integer",
    ),
    "number an array": (
        '{"carrier": "shippo", "tracking_number": ["9205"]}',
        "not an array",
    ),
    "carrier an integer": (
        '{"carrier": 7, "tracking_number": "SHIPPO_TRANSIT"}',
        "the carrier must be a string, not an integer",
    ),
}


def test_integer_tracking_number_is_text(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"carrier": "usps", "tracking_number": 9205590164917312751089}\n'
    )
    out = tmp_path / "out.jsonl"

    code = _batch(source, out)

    records = _read_jsonl(out)
    assert code == 1
    assert len(records) == 1
    assert records[0]["tracking_number"] == "9205590164917312751089"
    # The sandbox rejects real carriers, so the row reached the API.
    assert records[0]["error_type"] == "BadRequestError"


def test_integer_tracking_number_resumes(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"carrier": "usps", "tracking_number": 92055901}\n' + GOOD + "\n"
    )
    out = tmp_path / "out.jsonl"
    _batch(source, out)

    code = _batch(source, out, "--resume")

    # Both rows are found as done, so the second run tracks nothing.
    assert code == 0
    assert sorted(record["row"] for record in _read_jsonl(out)) == [1, 2]


@pytest.mark.parametrize("case", BAD_JSONL_LINES, ids=list(BAD_JSONL_LINES))
@pytest.mark.parametrize("output", ["out.jsonl", "out.csv"])
def test_bad_jsonl_row_does_not_stop_run(
    tmp_path: Path, case: str, output: str
) -> None:
    line, message = BAD_JSONL_LINES[case]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([GOOD] * 10 + [line] + [GOOD] * 10) + "\n")
    out = tmp_path / output

    code = _batch(source, out)

    records = _read_csv(out) if output.endswith(".csv") else _read_jsonl(out)
    by_row = {int(record["row"]): record for record in records}
    assert code == 1
    assert len(records) == 21
    assert sorted(by_row) == list(range(1, 22))
    assert by_row[11]["error_type"] == "InvalidInputRow"
    assert message in by_row[11]["error_message"]
    assert all(by_row[row]["status"] == "TRANSIT" for row in by_row if row != 11)


def test_csv_field_over_limit_is_error_row(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "carrier,tracking_number\n"
        "shippo,SHIPPO_TRANSIT\n"
        f"shippo,{'9' * 200_000}\n"
        "shippo,SHIPPO_DELIVERED\n"
    )
    out = tmp_path / "out.jsonl"

    code = _batch(source, out)

    by_row = {record["row"]: record for record in _read_jsonl(out)}
    assert code == 1
    assert sorted(by_row) == [1, 2, 3]
    assert by_row[1]["status"] == "TRANSIT"
    assert by_row[2]["error_type"] == "InvalidInputRow"
    assert (
        "invalid CSV row: field larger than field limit" in (by_row[2]["error_message"])
    )
    assert by_row[3]["status"] == "DELIVERED"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("in.csv", "carrier,tracking_number\nshippo,SHIPPO_TRANSIT\n"),
        ("in.jsonl", GOOD + "\n"),
    ],
)
def test_byte_order_mark_is_skipped(tmp_path: Path, name: str, content: str) -> None:
    source = tmp_path / name
    source.write_bytes(b"\xef\xbb\xbf" + content.encode())
    out = tmp_path / "out.jsonl"

    code = _batch(source, out)

    records = _read_jsonl(out)
    assert code == 0
    assert len(records) == 1
    assert records[0]["status"] == "TRANSIT"


def test_resume_skips_invalid_rows(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        GOOD,
        BAD_JSONL_LINES["lone surrogate"][0],
        BAD_JSONL_LINES["long number"][0],
        GOOD,
    ]
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.csv"
    first = _batch(source, out)
    written = out.read_text(encoding="utf-8")

    second = _batch(source, out, "--resume")

    assert first == 1
    assert second == 0
    assert len(_read_csv(out)) == 4
    assert out.read_text(encoding="utf-8") == written


def test_resume_ignores_hostile_output_lines(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text(
        '{"row": '
        + "1" * 5000
        + "}\n"
        + "[" * 100_000
        + "]" * 100_000
        + "\n"
        + '{"row": [1], "carrier": "shippo", "tracking_number": "A"}\n'
        + '{"row": 2, "carrier": "shippo", "tracking_number": "A"}\n'
    )

    assert len(read_done_keys(str(out), "jsonl")) == 1


def _record(message: str) -> dict[str, Any]:
    return {
        "row": 1,
        "carrier": "shippo",
        "tracking_number": "caf\u00e9",
        "error_type": "X",
        "error_message": message,
    }


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_writer_escapes_lone_surrogate(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"

    with path.open("w", encoding="utf-8", newline="") as file:
        ResultWriter(file, fmt, write_header=True).write(_record("bad \ud800 text"))

    assert "bad \\ud800 text" in path.read_text(encoding="utf-8")


def test_writer_escapes_for_ascii_stream() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", newline="")

    ResultWriter(stream, "csv", write_header=False).write(_record("\ud800 \u00e9"))

    assert raw.getvalue() == b"1,shippo,caf\\xe9,,,,,,X,,\\ud800 \\xe9\n"


class _FailingGet:
    """Makes get_async raise an unexpected error for one tracking number."""

    def __init__(self, client: Shippo, bad_number: str, message: str) -> None:
        self._get = client.tracking_status.get_async
        self._bad_number = bad_number
        self._message = message

    async def __call__(self, number: str, carrier: str, **kwargs: Any) -> Any:
        if number == self._bad_number:
            raise RuntimeError(self._message)
        return await self._get(number, carrier, **kwargs)


def _rows(bad_at: int, count: int) -> Iterator[InputRow]:
    for index in range(1, count + 1):
        number = "BOOM" if index == bad_at else "SHIPPO_TRANSIT"
        yield InputRow(index, "shippo", number)


async def _run_with_failing_row(url: str, out: io.StringIO) -> int:
    async with Shippo(KEY, server_url=url, retry_config=RetryConfig("none")) as client:
        message = f"header ShippoToken {KEY} rejected"
        failing_get = _FailingGet(client, "BOOM", message)
        client.tracking_status.get_async = failing_get  # type: ignore[method-assign]
        stats = await run_rows(
            _rows(bad_at=5, count=20),
            client=client,
            writer=ResultWriter(out, "jsonl", write_header=False),
            limiter=RateLimiter(60_000),
            concurrency=4,
        )
    return stats.written


def test_unexpected_error_becomes_error_row(caplog: pytest.LogCaptureFixture) -> None:
    out = io.StringIO()
    caplog.set_level(logging.ERROR, logger="shippo_client.cli")

    with Sandbox(api_key=KEY) as sandbox:
        written = asyncio.run(_run_with_failing_row(sandbox.url, out))

    records = {
        record["row"]: record for record in map(json.loads, out.getvalue().splitlines())
    }
    assert written == 20
    assert sorted(records) == list(range(1, 21))
    assert records[5]["error_type"] == "RuntimeError"
    assert records[5]["error_message"].startswith("unexpected error: header")
    assert KEY not in out.getvalue()
    assert "row 5 failed with an unexpected RuntimeError" in caplog.text
    assert KEY not in caplog.text
    assert records[6]["status"] == "TRANSIT"
