"""The concurrent core of `batch`: a bounded queue, workers and the limiter.

Memory stays flat whatever the input size: the reader blocks on a queue of
2 x concurrency rows, a fixed number of workers take rows from it, and each
result is written at once. Only counters and, with --resume, the set of
already written row keys grow with the run.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import Shippo, errors
from ..models import Track
from ._batch_io import InputRow, ResultWriter
from ._context import error_line
from ._fields import current_status, format_date, format_location, substatus_code
from ._limiter import RateLimiter

__all__ = ["RETRYABLE_ERROR_TYPES", "BatchStats", "run_rows"]

logger = logging.getLogger("shippo_client.cli")

# Error messages go into one output cell, and some (an invalid URL) quote the
# whole input, so they are cut to this many characters.
_MAX_MESSAGE_LENGTH = 500

# Errors after which the same request may succeed: the limiter paces the
# retry, so these never turn into a storm.
_RETRYABLE = (errors.RateLimitError, errors.ServerError, errors.APIConnectionError)


def _class_names(classes: tuple[type[Exception], ...]) -> frozenset[str]:
    names: set[str] = set()
    pending = list(classes)
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return frozenset(names)


# The error_type values of rows that --retry-failed tracks again, subclasses
# such as APITimeoutError and ServiceUnavailableError included.
RETRYABLE_ERROR_TYPES = _class_names(_RETRYABLE)


@dataclass
class BatchStats:
    """Counters of one run; `counts` maps a status or error type to rows."""

    counts: Counter[str] = field(default_factory=Counter)
    written: int = 0
    failed: int = 0
    skipped: int = 0
    requests: int = 0


@dataclass(frozen=True)
class _Job:
    client: Shippo
    writer: ResultWriter
    limiter: RateLimiter
    stats: BatchStats
    max_attempts: int
    on_row: Callable[[bool], None]


async def run_rows(
    rows: Iterable[InputRow],
    *,
    client: Shippo,
    writer: ResultWriter,
    limiter: RateLimiter,
    concurrency: int,
    max_attempts: int = 4,
    skip: Callable[[InputRow], bool] = lambda row: False,
    on_row: Callable[[bool], None] = lambda failed: None,
) -> BatchStats:
    """Track every row and write one result or error record per row.

    When the task is cancelled (Ctrl-C), rows already written stay written
    and rows in flight are dropped, so that --resume tracks them again.
    """
    stats = BatchStats()
    job = _Job(client, writer, limiter, stats, max_attempts, on_row)
    queue: asyncio.Queue[InputRow | None] = asyncio.Queue(maxsize=2 * concurrency)

    async with asyncio.TaskGroup() as group:
        for _ in range(concurrency):
            group.create_task(_worker(job, queue))
        await _feed(rows, queue, job, skip)
        for _ in range(concurrency):
            await queue.put(None)
    return stats


async def _feed(
    rows: Iterable[InputRow],
    queue: asyncio.Queue[InputRow | None],
    job: _Job,
    skip: Callable[[InputRow], bool],
) -> None:
    for row in rows:
        if skip(row):
            job.stats.skipped += 1
            continue
        if row.problem is not None:
            _finish(job, row, _invalid_row_record(row))
            continue
        await queue.put(row)


async def _worker(job: _Job, queue: asyncio.Queue[InputRow | None]) -> None:
    while (row := await queue.get()) is not None:
        record = await _track_row_or_error(job, row)
        _finish(job, row, record)


async def _track_row_or_error(job: _Job, row: InputRow) -> dict[str, Any]:
    # A last resort against bugs and unforeseen inputs. Without it, one
    # exception would end the worker, the TaskGroup and the whole run, and the
    # rows in flight would be lost. Cancellation is a BaseException, so it
    # still stops the run.
    try:
        return await _track_row(job, row)
    except Exception as error:
        record = _unexpected_error_record(row, error, job.client.auth_header)
        logger.error(
            "batch: row %d failed with an unexpected %s: %s",
            row.index,
            record["error_type"],
            record["error_message"],
        )
        return record


async def _track_row(job: _Job, row: InputRow) -> dict[str, Any]:
    attempt = 0
    stale_429s = 0
    while True:
        attempt += 1
        sent_at = await job.limiter.acquire()
        job.stats.requests += 1
        try:
            track = await job.client.tracking_status.get_async(row.number, row.carrier)
        except errors.ShippoError as error:
            if isinstance(error, errors.RateLimitError):
                current = job.limiter.throttle(sent_at, error.retry_after)
                # A request sent before the limiter's latest slowdown went
                # out at a rate already given up, so its 429 does not spend
                # one of the row's attempts. The cap keeps the loop finite.
                if not current and stale_429s < job.max_attempts:
                    stale_429s += 1
                    attempt -= 1
                    continue
            if isinstance(error, _RETRYABLE) and attempt < job.max_attempts:
                continue
            return _error_record(row, error)
        return _result_record(row, track)


def _finish(job: _Job, row: InputRow, record: dict[str, Any]) -> None:
    job.writer.write(record)
    failed = record["error_type"] is not None
    job.stats.written += 1
    job.stats.failed += failed
    job.stats.counts[record["error_type"] or record["status"] or "NO STATUS"] += 1
    job.on_row(failed)


def _base_record(row: InputRow) -> dict[str, Any]:
    return {"row": row.index, "carrier": row.carrier, "tracking_number": row.number}


def _result_record(row: InputRow, track: Track) -> dict[str, Any]:
    event = current_status(track)
    record = _base_record(row)
    record.update(
        status=str(event.status) if event else None,
        substatus=substatus_code(event) or None,
        status_date=(format_date(event.status_date) or None) if event else None,
        location=(format_location(event.location) or None) if event else None,
        eta=format_date(track.eta) or None,
        error_type=None,
        status_code=None,
        error_message=None,
    )
    return record


def _error_record(row: InputRow, error: errors.ShippoError) -> dict[str, Any]:
    record = _base_record(row)
    status_code = getattr(error, "status_code", None)
    message = getattr(error, "message", None) or error_line(error)
    record.update(
        error_type=type(error).__name__,
        status_code=status_code,
        error_message=_short_message(_without_repeated_reason(str(message))),
    )
    return record


def _without_repeated_reason(message: str) -> str:
    # For a plain-text body the client's message is "<reason phrase>: <body>",
    # and many bodies start with the reason phrase themselves, as in
    # "Too Many Requests: Too many requests: ...". The row keeps the body.
    reason, separator, body = message.partition(": ")
    if separator and body.lower().startswith(reason.lower()):
        return body
    return message


def _unexpected_error_record(
    row: InputRow, error: Exception, auth_header: str
) -> dict[str, Any]:
    record = _base_record(row)
    message = _redact(str(error) or repr(error), auth_header)
    record.update(
        error_type=type(error).__name__,
        status_code=None,
        error_message=_short_message(f"unexpected error: {message}"),
    )
    return record


def _redact(text: str, auth_header: str) -> str:
    # An HTTP library may quote a header value in its message; the
    # Authorization header contains the API key.
    token = auth_header.partition(" ")[2]
    for secret in (auth_header, token):
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def _short_message(text: str) -> str:
    line = " ".join(text.split())
    if len(line) <= _MAX_MESSAGE_LENGTH:
        return line
    return line[:_MAX_MESSAGE_LENGTH] + "..."


def _invalid_row_record(row: InputRow) -> dict[str, Any]:
    record = _base_record(row)
    record.update(error_type="InvalidInputRow", error_message=row.problem)
    return record
