"""The `batch` command: options, files, progress and the exit code."""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
from collections.abc import Coroutine, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, Any

from rich.console import Console

from .. import Shippo, errors
from ..utils import RetryConfig
from ._batch_io import (
    InputFormatError,
    InputRow,
    ResultWriter,
    count_rows,
    detect_format,
    read_done_keys,
    read_rows,
    row_key,
)
from ._batch_runner import BatchStats, run_rows
from ._context import ClientSettings, open_client, report_error
from ._limiter import RateLimiter
from ._progress import BatchProgress, LineProgress, ProgressReporter, summary_table

__all__ = ["BatchIO", "UsageError", "run_batch"]

# The batch runner retries through its rate limiter, so the client must not
# retry on its own: its retries would bypass the limiter.
_NO_CLIENT_RETRIES = RetryConfig("none")


class UsageError(Exception):
    """Invalid options or input file; exit code 2."""


@dataclass
class BatchIO:
    """The streams of `batch`: stderr for progress and summary, stdout for rows."""

    stderr: Console
    stdout: IO[str]


def run_batch(args: argparse.Namespace, io: BatchIO) -> int:
    """Run `batch`: 0 when every row succeeded, 1 when any failed, 2 on usage."""
    try:
        plan = _plan(args)
    except UsageError as error:
        io.stderr.print(
            f"shippo-track batch: error: {error}", markup=False, soft_wrap=True
        )
        return 2

    try:
        with open_client(
            ClientSettings.from_args(args), retry_config=_NO_CLIENT_RETRIES
        ) as client:
            stats = _run(args, plan, client, io)
    except errors.ShippoError as error:
        return report_error(error)
    except KeyboardInterrupt:
        io.stderr.print(
            "Interrupted: finished rows are written; run again with --resume "
            "to track the rest.",
            markup=False,
            soft_wrap=True,
        )
        return 130

    io.stderr.print(summary_table(stats.counts, stats.skipped))
    return 1 if stats.failed else 0


@dataclass(frozen=True)
class _Plan:
    input_format: str
    output_format: str
    done_keys: set[int]
    total: int


def _plan(args: argparse.Namespace) -> _Plan:
    try:
        input_format = detect_format(args.file, args.input_format)
    except InputFormatError as error:
        raise UsageError(str(error)) from None
    if not os.path.isfile(args.file):
        raise UsageError(f"input file not found: {args.file}")
    if args.resume and args.output is None:
        raise UsageError("--resume needs --output FILE")

    if input_format == "csv":
        _check_csv_header(args.file, args.carrier_column, args.number_column)
    output_format = args.output_format or _output_format_from(args.output)
    done = read_done_keys(args.output, output_format) if args.resume else set()
    return _Plan(input_format, output_format, done, count_rows(args.file, input_format))


def _check_csv_header(path: str, *columns: str) -> None:
    with open(path, encoding="utf-8", errors="replace", newline="") as file:
        header = next(csv.reader(file), [])
    missing = [name for name in columns if name not in header]
    if missing:
        raise UsageError(
            f"the CSV header of {path} has no column "
            f"{', '.join(map(repr, missing))}; it has "
            f"{', '.join(map(repr, header)) or 'no columns'}. "
            "Use --carrier-column and --number-column"
        )


def _output_format_from(path: str | None) -> str:
    if path is not None and path.lower().endswith(".csv"):
        return "csv"
    return "jsonl"


def _run(
    args: argparse.Namespace, plan: _Plan, client: Shippo, io: BatchIO
) -> BatchStats:
    with ExitStack() as stack:
        source = stack.enter_context(
            open(args.file, encoding="utf-8", errors="replace", newline="")
        )
        file, write_header = _open_output(args, plan, io, stack)
        writer = ResultWriter(file, plan.output_format, write_header=write_header)
        rows = _checked_rows(source, args, plan)
        total = max(0, plan.total - len(plan.done_keys))
        progress = stack.enter_context(_progress(io.stderr, total))
        limiter = RateLimiter(args.rate)

        def skip(row: InputRow) -> bool:
            return row_key(row.index, row.carrier, row.number) in plan.done_keys

        def on_row(failed: bool) -> None:
            progress.advance(failed=failed)

        return asyncio.run(
            _run_and_close(
                client,
                run_rows(
                    rows,
                    client=client,
                    writer=writer,
                    limiter=limiter,
                    concurrency=args.concurrency,
                    max_attempts=args.max_attempts,
                    skip=skip,
                    on_row=on_row,
                ),
            )
        )


async def _run_and_close(
    client: Shippo, work: Coroutine[Any, Any, BatchStats]
) -> BatchStats:
    try:
        return await work
    finally:
        await client.aclose()


def _open_output(
    args: argparse.Namespace, plan: _Plan, io: BatchIO, stack: ExitStack
) -> tuple[IO[str], bool]:
    if args.output is None:
        return io.stdout, True

    appending = args.resume and os.path.exists(args.output)
    has_content = appending and os.path.getsize(args.output) > 0
    mode = "a" if appending else "w"
    file = open(args.output, mode, encoding="utf-8", newline="")  # noqa: SIM115
    return stack.enter_context(file), not has_content


def _checked_rows(
    source: IO[str], args: argparse.Namespace, plan: _Plan
) -> Iterator[InputRow]:
    try:
        yield from read_rows(
            source, plan.input_format, args.carrier_column, args.number_column
        )
    except InputFormatError as error:
        raise UsageError(str(error)) from None


def _progress(console: Console, total: int) -> ProgressReporter:
    if console.is_terminal:
        return BatchProgress(console, total)
    return LineProgress(console, total)
