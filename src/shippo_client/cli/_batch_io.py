"""Streaming input rows and result rows for `batch`, and the --resume keys.

Input is read one row at a time, and each result is written and flushed as
soon as it is known, so memory does not grow with the file and an interrupted
run loses no finished row.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

__all__ = [
    "INPUT_ENCODING",
    "MAX_CARRIER_LENGTH",
    "MAX_NUMBER_LENGTH",
    "OUTPUT_FIELDS",
    "InputFormatError",
    "InputRow",
    "OutputWriteError",
    "ResultWriter",
    "copy_kept_rows",
    "count_rows",
    "detect_format",
    "read_done_keys",
    "read_rows",
    "row_key",
    "safe_text",
]

# "utf-8-sig" drops the byte order mark that spreadsheet programs put at the
# start of exported files and reads files without one as plain UTF-8.
INPUT_ENCODING = "utf-8-sig"

# Carrier tokens are short words ("usps", "canada_post") and tracking numbers
# are at most a few dozen characters. Longer values are rejected as invalid
# rows before they reach the URL.
MAX_CARRIER_LENGTH = 64
MAX_NUMBER_LENGTH = 128

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
    with open(path, encoding=INPUT_ENCODING, errors="replace") as file:
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
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise InputFormatError(f"cannot read the CSV header: {error}") from None
    missing = [name for name in (carrier_column, number_column) if name not in header]
    if missing:
        raise InputFormatError(
            f"the CSV header has no column {', '.join(map(repr, missing))}; "
            f"it has {', '.join(map(repr, header)) or 'no columns'}. "
            "Use --carrier-column and --number-column"
        )

    index = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # The reader drops the rest of the bad line and goes on with the
            # next one, for example after a field over csv.field_size_limit().
            # NOTE: when the bad field is quoted and spans lines, its later
            # lines are read as rows of their own and get error rows too.
            index += 1
            yield InputRow(index, "", "", f"invalid CSV row: {error}")
            continue
        index += 1
        yield _make_row(index, record.get(carrier_column), record.get(number_column))


def _jsonl_rows(
    file: IO[str], carrier_column: str, number_column: str
) -> Iterator[InputRow]:
    index = 0
    for line in file:
        if not line.strip():
            continue
        index += 1
        yield _jsonl_row(index, line, carrier_column, number_column)


def _jsonl_row(
    index: int, line: str, carrier_column: str, number_column: str
) -> InputRow:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return InputRow(index, "", "", f"invalid JSON: {error.msg}")
    except ValueError as error:
        # An integer over sys.get_int_max_str_digits() digits (4300 by default).
        return InputRow(index, "", "", f"invalid JSON: {_first_clause(error)}")
    except RecursionError:
        return InputRow(index, "", "", "invalid JSON: nested too deeply")

    if not isinstance(record, dict):
        return InputRow(index, "", "", "the line is not a JSON object")
    return _make_row(index, record.get(carrier_column), record.get(number_column))


def _first_clause(error: Exception) -> str:
    return str(error).partition(";")[0]


def _make_row(index: int, carrier: Any, number: Any) -> InputRow:
    carrier_text, carrier_problem = _check_field("carrier", carrier, MAX_CARRIER_LENGTH)
    number_text, number_problem = _check_field(
        "tracking number", _integer_as_text(number), MAX_NUMBER_LENGTH
    )
    return InputRow(index, carrier_text, number_text, carrier_problem or number_problem)


def _integer_as_text(value: Any) -> Any:
    # Spreadsheets and databases often export numeric tracking numbers as JSON
    # integers. bool is a subclass of int, but true is never a tracking number.
    # Floats stay rejected, because 1e21 or 9.2e21 has lost digits already.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return value


def _check_field(name: str, value: Any, max_length: int) -> tuple[str, str | None]:
    """Return the field's text as written to the output, and its problem if any.

    An invalid value is shortened and made encodable, so that its error row
    can be written and --resume finds the same text in the output.
    """
    if value is None:
        return "", f"missing {name}"
    if not isinstance(value, str):
        expected = "a string or an integer" if name == "tracking number" else "a string"
        found = _json_type_name(value)
        return "", f"the {name} must be {expected}, not {found}"

    text = value.strip()
    clean = safe_text(text)
    if not text:
        return "", f"missing {name}"
    if clean != text:
        problem = f"the {name} contains a lone surrogate, which is invalid Unicode"
        return _shorten(clean, max_length), problem
    if len(text) > max_length:
        problem = f"the {name} has {len(text)} characters; the maximum is {max_length}"
        return _shorten(text, max_length), problem
    return text, None


def _json_type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a negative integer" if value < 0 else "an integer"
    if isinstance(value, float):
        return "a floating-point number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _shorten(text: str, max_length: int) -> str:
    return text if len(text) <= max_length else text[:max_length] + "..."


def safe_text(text: str, encoding: str = "utf-8") -> str:
    """Return `text` with each character `encoding` cannot encode escaped.

    A lone surrogate, which JSON allows as "\\ud800", becomes the six
    characters \\ud800, so writing it to a file cannot fail.
    """
    return text.encode(encoding, "backslashreplace").decode(encoding, "replace")


def read_done_keys(
    path: str, fmt: str, *, retry_types: frozenset[str] = frozenset()
) -> set[int]:
    """Return the keys of rows already in an output file, for --resume.

    Rows whose error_type is in `retry_types` do not count as done, so that
    --retry-failed tracks them again. A last line cut short by a crash is
    removed first, so that the row is tracked again and the file stays valid.
    """
    if not os.path.exists(path):
        return set()
    _drop_partial_last_line(path)

    done: set[int] = set()
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        records = _csv_lines(file) if fmt == "csv" else _json_lines(file)
        for record in records:
            if record.get("error_type") in retry_types:
                continue
            key = _record_key(record)
            if key is not None:
                done.add(key)
    return done


def copy_kept_rows(
    path: str, fmt: str, target: IO[str], retry_types: frozenset[str]
) -> bool:
    """Copy an output file to `target` without the rows of `retry_types`.

    JSON Lines are copied byte for byte and CSV rows are rewritten with the
    file's own header. Returns True when `target` got any content, the
    header included.
    """
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        if fmt == "csv":
            return _copy_csv(file, target, retry_types)
        return _copy_jsonl(file, target, retry_types)


def _copy_jsonl(file: IO[str], target: IO[str], retry_types: frozenset[str]) -> bool:
    wrote = False
    for line in file:
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            record = None
        if isinstance(record, dict) and record.get("error_type") in retry_types:
            continue
        target.write(safe_text(line))
        wrote = True
    return wrote


def _copy_csv(file: IO[str], target: IO[str], retry_types: frozenset[str]) -> bool:
    reader = csv.DictReader(file)
    fieldnames = reader.fieldnames
    if not fieldnames:
        return False
    writer = csv.DictWriter(
        target, fieldnames=fieldnames, lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for record in _csv_lines_from(reader):
        if record.get("error_type") not in retry_types:
            writer.writerow(
                {
                    key: safe_text(value or "")
                    for key, value in record.items()
                    if key is not None
                }
            )
    return True


def _csv_lines(file: IO[str]) -> Iterator[dict[str, Any]]:
    return _csv_lines_from(csv.DictReader(file))


def _csv_lines_from(reader: csv.DictReader[str]) -> Iterator[dict[str, Any]]:
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            # A line this program did not write; its row is tracked again.
            continue


def _json_lines(file: IO[str]) -> Iterator[dict[str, Any]]:
    for line in file:
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if isinstance(record, dict):
            yield record


def _record_key(record: dict[str, Any]) -> int | None:
    try:
        index = int(record.get("row") or "")
    except (TypeError, ValueError):
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


class OutputWriteError(OSError):
    """A failed write of a result row, for example to a full disk or a closed pipe.

    It carries the errno and message of the OSError that caused it, so that
    the caller can tell a failed write from a failed open or read.
    """


class ResultWriter:
    """Writes result rows as JSON Lines or CSV, flushing each one.

    Text the output file's encoding cannot hold, such as a lone surrogate in
    an error message, is written backslash-escaped instead of failing.
    """

    def __init__(self, file: IO[str], fmt: str, *, write_header: bool) -> None:
        self._file = file
        self._fmt = fmt
        self._encoding = _encoding_of(file)
        self._buffer = io.StringIO()
        self._csv = csv.DictWriter(
            self._buffer, fieldnames=OUTPUT_FIELDS, lineterminator="\n"
        )
        if fmt == "csv" and write_header:
            self._csv.writeheader()
            self._flush_buffer()

    def write(self, record: dict[str, Any]) -> None:
        if self._fmt == "csv":
            self._csv.writerow(
                {key: _csv_cell(record.get(key)) for key in OUTPUT_FIELDS}
            )
        else:
            # ensure_ascii writes every non-ASCII character, surrogates too,
            # as a \\uXXXX escape, which json.loads reads back unchanged.
            fields = {key: record.get(key) for key in OUTPUT_FIELDS}
            self._buffer.write(json.dumps(fields, ensure_ascii=True) + "\n")
        self._flush_buffer()

    def _flush_buffer(self) -> None:
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        try:
            self._file.write(safe_text(text, self._encoding))
            self._file.flush()
        except OSError as error:
            raise OutputWriteError(error.errno, error.strerror) from error


def _encoding_of(file: IO[str]) -> str:
    encoding = getattr(file, "encoding", None)
    if not isinstance(encoding, str):
        return "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        return "utf-8"
    return encoding


def _csv_cell(value: Any) -> Any:
    return "" if value is None else value
