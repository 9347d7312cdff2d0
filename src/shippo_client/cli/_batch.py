"""The `batch` command: options, files, progress and the exit code."""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import shutil
import tempfile
from collections.abc import Coroutine, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, Any

from rich.console import Console

from .. import Shippo, errors
from ..utils import RetryConfig
from ._batch_io import (
    INPUT_ENCODING,
    InputFormatError,
    InputRow,
    OutputWriteError,
    ResultWriter,
    copy_kept_rows,
    count_rows,
    detect_format,
    read_done_keys,
    read_rows,
    row_key,
)
from ._batch_runner import RETRYABLE_ERROR_TYPES, BatchStats, run_rows
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
    except OSError as error:
        return _report_os_error(error, args, io)
    except ExceptionGroup as group:
        # A failed write ends the TaskGroup that tracks the rows.
        if _write_error_in(group) is None:
            raise
        return _report_os_error(group, args, io)
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


def _report_os_error(
    error: OSError | ExceptionGroup[Exception],
    args: argparse.Namespace,
    io: BatchIO,
) -> int:
    """Print a file error as one line and return 2 if a path failed to open, else 1."""
    write_error = _write_error_in(error)
    if write_error is not None:
        code = 1
        reason = write_error.strerror or str(write_error)
        if args.output is None:
            message = f"writing results to standard output failed: {reason}"
            _silence_stdout(io)
        else:
            message = (
                f"writing results to {args.output} failed: {reason}. The rows "
                "written before it are kept; fix the cause, then run again with "
                "--resume to track the rest"
            )
    elif isinstance(error, OSError) and error.filename is not None:
        code = 2
        message = f"cannot open {error.filename}: {error.strerror or error}"
    else:
        code = 1
        detail = error.strerror if isinstance(error, OSError) else None
        message = f"file input or output failed: {detail or error}"

    io.stderr.print(
        f"shippo-track batch: error: {message}", markup=False, soft_wrap=True
    )
    return code


def _write_error_in(error: BaseException | None) -> OutputWriteError | None:
    # A failed write reaches here inside the TaskGroup's exception group, and
    # closing the output then flushes the same rows again and raises a plain
    # OSError whose context is that group.
    if error is None or isinstance(error, OutputWriteError):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = _write_error_in(inner)
            if found is not None:
                return found
    return _write_error_in(error.__context__)


def _silence_stdout(io: BatchIO) -> None:
    # A closed pipe (`shippo-track batch ... | head`) would make Python's own
    # final flush of stdout print a second error, so stdout now discards.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, io.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass


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
    if args.retry_failed and not args.resume:
        raise UsageError("--retry-failed needs --resume and --output FILE")

    if input_format == "csv":
        _check_csv_header(args.file, args.carrier_column, args.number_column)
    output_format = args.output_format or _output_format_from(args.output)
    retry_types = RETRYABLE_ERROR_TYPES if args.retry_failed else frozenset()
    done = set()
    if args.resume:
        done = read_done_keys(args.output, output_format, retry_types=retry_types)
    return _Plan(input_format, output_format, done, count_rows(args.file, input_format))


def _check_csv_header(path: str, *columns: str) -> None:
    with open(path, encoding=INPUT_ENCODING, errors="replace", newline="") as file:
        try:
            header = next(csv.reader(file), [])
        except csv.Error as error:
            raise UsageError(f"cannot read the CSV header of {path}: {error}") from None
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
            open(args.file, encoding=INPUT_ENCODING, errors="replace", newline="")
        )
        file, write_header = _open_output(args, plan, io, stack)
        writer = ResultWriter(file, plan.output_format, write_header=write_header)
        rows = _checked_rows(source, args, plan)
        total = max(0, plan.total - len(plan.done_keys))
        limiter = RateLimiter(args.rate)
        progress = stack.enter_context(_progress(io.stderr, total, limiter))

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

    if args.retry_failed and os.path.exists(args.output):
        return _open_rewrite(args.output, plan.output_format, stack)

    appending = args.resume and os.path.exists(args.output)
    has_content = appending and os.path.getsize(args.output) > 0
    mode = "a" if appending else "w"
    file = open(  # noqa: SIM115
        args.output, mode, encoding="utf-8", errors="backslashreplace", newline=""
    )
    return stack.enter_context(file), not has_content


def _open_rewrite(path: str, fmt: str, stack: ExitStack) -> tuple[IO[str], bool]:
    """Open a temporary copy of `path` without its retryable error rows.

    New rows go to the copy, which replaces `path` when the run ends, even
    on Ctrl-C: it then contains the kept rows and every finished retry, so
    each input row appears at most once and --resume finds the rest. When
    the process is killed, `path` stays as it was and the copy is left
    next to it.
    """
    directory = os.path.dirname(os.path.abspath(path))
    prefix = f".{os.path.basename(path)}."
    file = tempfile.NamedTemporaryFile(  # noqa: SIM115
        "w",
        dir=directory,
        prefix=prefix,
        suffix=".tmp",
        delete=False,
        encoding="utf-8",
        errors="backslashreplace",
        newline="",
    )
    try:
        has_content = copy_kept_rows(path, fmt, file, RETRYABLE_ERROR_TYPES)
        file.flush()
    except BaseException:
        # A partial copy must never replace the output.
        file.close()
        os.unlink(file.name)
        raise

    # Registered before the file, so that it runs after the file is closed.
    stack.callback(_replace_file, file.name, path)
    stack.enter_context(file)
    return file, not has_content


def _replace_file(source: str, target: str) -> None:
    shutil.copymode(target, source)
    os.replace(source, target)


def _checked_rows(
    source: IO[str], args: argparse.Namespace, plan: _Plan
) -> Iterator[InputRow]:
    try:
        yield from read_rows(
            source, plan.input_format, args.carrier_column, args.number_column
        )
    except InputFormatError as error:
        raise UsageError(str(error)) from None


def _progress(console: Console, total: int, limiter: RateLimiter) -> ProgressReporter:
    if console.is_terminal:
        return BatchProgress(console, total, limiter)
    return LineProgress(console, total, limiter=limiter)
