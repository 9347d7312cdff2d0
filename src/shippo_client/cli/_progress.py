"""Progress of `batch`: a rich bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ._render import plural

__all__ = [
    "BatchProgress",
    "LineProgress",
    "ProgressReporter",
    "eta_seconds",
    "summary_table",
]


class RateSource(Protocol):
    """The parts of the batch RateLimiter that the ETA reads."""

    @property
    def per_minute(self) -> float: ...

    @property
    def wait_s(self) -> float: ...


def eta_seconds(
    done: int, total: int | None, elapsed_s: float, limiter: RateSource | None
) -> float | None:
    """Estimate the seconds left, or None before the first row.

    The observed rate alone is too hopeful after 429s: a burst of fast rows
    at the start keeps it high while the limiter has slowed down. So the
    estimate uses the lower of the observed rate and the limiter's current
    rate, plus any Retry-After hold still pending.
    """
    if not total or not done or elapsed_s <= 0:
        return None
    per_minute = done / elapsed_s * 60
    hold_s = 0.0
    if limiter is not None:
        per_minute = min(per_minute, limiter.per_minute)
        hold_s = limiter.wait_s
    remaining = max(0, total - done)
    if remaining == 0:
        return 0.0
    return hold_s + remaining / per_minute * 60


class ProgressReporter(Protocol):
    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def advance(self, *, failed: bool) -> None: ...


class BatchProgress:
    """A rich progress bar: done/total, rate, ETA and errors so far."""

    def __init__(
        self, console: Console, total: int | None, limiter: RateSource | None = None
    ) -> None:
        self._errors = 0
        self._total = total
        self._limiter = limiter
        self._progress = Progress(
            TextColumn("[bold]tracking"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("[red]{task.fields[errors]}"),
            TimeElapsedColumn(),
            TextColumn("ETA {task.fields[eta]}"),
            console=console,
            transient=False,
        )
        self._task: TaskID = self._progress.add_task(
            "batch", total=total, errors=plural(0, "error"), rate="", eta="-"
        )
        self._started = time.monotonic()
        self._done = 0

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def advance(self, *, failed: bool) -> None:
        self._done += 1
        self._errors += failed
        elapsed = max(time.monotonic() - self._started, 1e-9)
        rate = f"{self._done / elapsed * 60:.0f}/min"
        eta = eta_seconds(self._done, self._total, elapsed, self._limiter)
        self._progress.update(
            self._task,
            advance=1,
            errors=plural(self._errors, "error"),
            rate=rate,
            eta="-" if eta is None else f"{eta:.0f} s",
        )


class LineProgress:
    """Plain progress lines on stderr, at most one every `every_s` seconds."""

    def __init__(
        self,
        console: Console,
        total: int | None,
        *,
        every_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        limiter: RateSource | None = None,
    ) -> None:
        self._console = console
        self._limiter = limiter
        self._total = total
        self._every_s = every_s
        self._clock = clock
        self._started = clock()
        self._last_line = self._started
        self._done = 0
        self._errors = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._print_line()

    def advance(self, *, failed: bool) -> None:
        self._done += 1
        self._errors += failed
        now = self._clock()
        if now - self._last_line >= self._every_s:
            self._last_line = now
            self._print_line()

    def _print_line(self) -> None:
        elapsed = max(self._clock() - self._started, 1e-9)
        rate = self._done / elapsed * 60
        total = f"/{self._total}" if self._total is not None else ""
        eta_s = eta_seconds(self._done, self._total, elapsed, self._limiter)
        eta = "" if eta_s is None else f", ETA {eta_s:.0f} s"
        self._console.print(
            f"batch: {self._done}{total} rows done, "
            f"{plural(self._errors, 'error')}, {rate:.0f} rows/min{eta}",
            markup=False,
            highlight=False,
        )


def summary_table(counts: Counter[str], skipped: int) -> Table:
    """Return the end-of-run table: rows per status or error type."""
    table = Table(title="Summary", title_justify="left")
    table.add_column("Result")
    table.add_column("Rows", justify="right")
    for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        table.add_row(name, str(count))
    if skipped:
        table.add_row("(skipped, already in output)", str(skipped))
    table.add_row("[bold]total written[/bold]", f"[bold]{sum(counts.values())}[/bold]")
    return table
