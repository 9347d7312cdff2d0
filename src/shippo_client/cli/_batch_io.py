"""Streaming input rows and result rows for `batch`, and the --resume keys.

Input is read one row at a time, and each result is written and flushed as
soon as it is known, so memory does not grow with the file and an interrupted
run loses no finished row.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

__all__ = [
    "OUTPUT_FIELDS",
    "InputFormatError",
    "InputRow",
    "ResultWriter",
    "count_rows",
    "detect_format",
    "read_done_keys",
    "read_rows",
    "row_key",
]

OUTPUT_FIELDS = (
    "row",
    "carrier",
    "tracking_number",
    "status",
    "substatus",
    "status_date",
    "location",
    "eta",
    "error_type",
    "status_code",
    "error_message",
)


class InputFormatError(Exception):
    """The input file cannot be read as a whole, for example a missing column."""


@dataclass(frozen=True, slots=True)
class InputRow:
    """One input record, with the reason it cannot be tracked in `problem`."""

    index: int
    carrier: str
    number: str
    problem: str | None = None


def row_key(index: int, carrier: str, number: str) -> int:
    """Return the --resume key of a row: its index, carrier and number, hashed."""
    # A hash instead of the tuple keeps the set of done rows small. A str hash
    # changes between processes, but --resume compares within one process.
    return hash((index, carrier, number))


def detect_format(path: str, given: str | None) -> str:
    """Return "csv" or "jsonl" from --input-format or the file's extension."""
    if given:
        return given
    lower = path.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    raise InputFormatError(
        f"cannot tell the format of {path!r} from its extension; "
        "pass --input-format csv or --input-format jsonl"
    )


def count_rows(path: str, fmt: str) -> int:
    """Return the number of data rows, reading line by line (for the ETA)."""
    with open(path, encoding="utf-8", errors="replace") as file:
        if fmt == "jsonl":
            return sum(1 for line in file if line.strip())
        return max(0, sum(1 for line in file if line.strip()) - 1)


def read_rows(
    file: IO[str], fmt: str, carrier_column: str, number_column: str
) -> Iterator[InputRow]:
    """Yield the rows of an open input file, one at a time."""
    if fmt == "jsonl":
        yield from _jsonl_rows(file, carrier_column, number_column)
    else:
        yield from _csv_rows(file, carrier_column, number_column)


def _csv_rows(
    file: IO[str], carrier_column: str, number_column: str
) -> Iterator[InputRow]:
    reader = csv.DictReader(file)
    header = reader.fieldnames or []
    missing = [name for name in (carrier_column, number_column) if name not in header]
    if missing:
        raise InputFormatError(
            f"the CSV header has no column {', '.join(map(repr, missing))}; "
            f"it has {', '.join(map(repr, header)) or 'no columns'}. "
            "Use --carrier-column and --number-column"
        )

    for index, record in enumerate(reader, start=1):
        yield _make_row(index, record.get(carrier_column), record.get(number_column))


def _jsonl_rows(
    file: IO[str], carrier_column: str, number_column: str
) -> Iterator[InputRow]:
    index = 0
    for line in file:
        if not line.strip():
            continue
        index += 1
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputRow(index, "", "", f"invalid JSON: {error.msg}")
            continue
        if not isinstance(record, dict):
            yield InputRow(index, "", "", "the line is not a JSON object")
            continue
        yield _make_row(index, record.get(carrier_column), record.get(number_column))


def _make_row(index: int, carrier: Any, number: Any) -> InputRow:
    carrier_text = carrier.strip() if isinstance(carrier, str) else ""
    number_text = number.strip() if isinstance(number, str) else ""
    if not carrier_text:
        return InputRow(index, carrier_text, number_text, "missing carrier")
    if not number_text:
        return InputRow(index, carrier_text, number_text, "missing tracking number")
    return InputRow(index, carrier_text, number_text)


def read_done_keys(path: str, fmt: str) -> set[int]:
    """Return the keys of rows already in an output file, for --resume.

    A last line cut short by a crash is removed first, so that the row is
    tracked again and the file stays valid.
    """
    if not os.path.exists(path):
        return set()
    _drop_partial_last_line(path)

    done: set[int] = set()
    with open(path, encoding="utf-8", newline="") as file:
        records = csv.DictReader(file) if fmt == "csv" else _json_lines(file)
        for record in records:
            key = _record_key(record)
            if key is not None:
                done.add(key)
    return done


def _json_lines(file: IO[str]) -> Iterator[dict[str, Any]]:
    for line in file:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            yield record


def _record_key(record: dict[str, Any]) -> int | None:
    try:
        index = int(record.get("row") or "")
    except ValueError:
        return None
    return row_key(
        index, record.get("carrier") or "", record.get("tracking_number") or ""
    )


def _drop_partial_last_line(path: str) -> None:
    with open(path, "rb+") as file:
        size = file.seek(0, os.SEEK_END)
        if size == 0:
            return
        file.seek(size - 1)
        if file.read(1) == b"\n":
            return

        # Walk back to the last newline; files of finished rows end with one.
        position = size - 1
        while position > 0:
            file.seek(position - 1)
            if file.read(1) == b"\n":
                break
            position -= 1
        file.truncate(position)


class ResultWriter:
    """Writes result rows as JSON Lines or CSV, flushing each one."""

    def __init__(self, file: IO[str], fmt: str, *, write_header: bool) -> None:
        self._file = file
        self._fmt = fmt
        self._csv = csv.DictWriter(file, fieldnames=OUTPUT_FIELDS, lineterminator="\n")
        if fmt == "csv" and write_header:
            self._csv.writeheader()
            file.flush()

    def write(self, record: dict[str, Any]) -> None:
        if self._fmt == "csv":
            self._csv.writerow(
                {key: _csv_cell(record.get(key)) for key in OUTPUT_FIELDS}
            )
        else:
            line = json.dumps({key: record.get(key) for key in OUTPUT_FIELDS})
            self._file.write(line + "\n")
        self._file.flush()


def _csv_cell(value: Any) -> Any:
    return "" if value is None else value
