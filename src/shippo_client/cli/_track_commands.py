"""The `get`, `register` and `watch` commands."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console

from .. import Shippo, errors
from ..models import Track
from ._context import ClientSettings, open_client, report_error
from ._fields import current_status, status_name
from ._render import event_key, event_line, plural, print_track, track_json

__all__ = [
    "FINAL_STATUSES",
    "MIN_WATCH_INTERVAL_S",
    "WatchClock",
    "run_get",
    "run_register",
    "run_watch",
]

FINAL_STATUSES = frozenset({"DELIVERED", "RETURNED", "FAILURE"})

# Polling faster than this gains nothing, because carriers update a parcel at
# most every few minutes, and it spends the account's rate limit.
MIN_WATCH_INTERVAL_S = 10.0


def run_get(args: argparse.Namespace, console: Console) -> int:
    def fetch(client: Shippo) -> Track:
        return client.tracking_status.get(args.number, args.carrier)

    return _show_one(args, console, fetch)


def run_register(args: argparse.Namespace, console: Console) -> int:
    def register(client: Shippo) -> Track:
        request = {"carrier": args.carrier, "tracking_number": args.number}
        if args.metadata is not None:
            request["metadata"] = args.metadata
        return client.tracking_status.create(request)

    return _show_one(args, console, register)


def _show_one(
    args: argparse.Namespace, console: Console, call: Callable[[Shippo], Track]
) -> int:
    try:
        with open_client(ClientSettings.from_args(args)) as client:
            track = call(client)
    except errors.ShippoError as error:
        return report_error(error)

    if args.json and console.is_terminal:
        console.print_json(track_json(track))
    elif args.json:
        # Plain text for pipes: rich would wrap long lines.
        console.file.write(track_json(track) + "\n")
    else:
        print_track(console, track)
    return 0


@dataclass
class WatchClock:
    """The clock and sleep of `watch`, injected by tests."""

    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass
class _Watch:
    seen: set[str] = field(default_factory=set)
    polls: int = 0


def run_watch(
    args: argparse.Namespace, console: Console, clock: WatchClock | None = None
) -> int:
    """Poll until the status is final or --max-time passes; print new events."""
    clock = clock or WatchClock()
    deadline = None if args.max_time is None else clock.monotonic() + args.max_time
    state = _Watch()
    try:
        with open_client(ClientSettings.from_args(args)) as client:
            return _watch_loop(args, console, client, clock, deadline, state)
    except errors.ShippoError as error:
        return report_error(error)


def _watch_loop(
    args: argparse.Namespace,
    console: Console,
    client: Shippo,
    clock: WatchClock,
    deadline: float | None,
    state: _Watch,
) -> int:
    while True:
        track = client.tracking_status.get(args.number, args.carrier)
        state.polls += 1
        _print_new_events(console, track, state)

        status = status_name(current_status(track))
        polls = plural(state.polls, "poll")
        if status in FINAL_STATUSES:
            console.print(f"Final status {status} after {polls}.")
            return 0
        # Stop before a sleep that would end after the deadline. The message
        # then states that the next poll was due after --max-time, because
        # --max-time itself has not passed yet.
        if deadline is not None and clock.monotonic() + args.interval > deadline:
            console.print(
                f"Stopped after {polls}: the next poll would come after "
                f"--max-time {args.max_time:g} s. The status is still "
                f"{status or 'unknown'}.",
                markup=False,
                highlight=False,
            )
            return 3
        clock.sleep(args.interval)


def _print_new_events(console: Console, track: Track, state: _Watch) -> None:
    for event in track.tracking_history:
        key = event_key(event)
        if key in state.seen:
            continue
        state.seen.add(key)
        console.print(event_line(event), markup=False, highlight=False, soft_wrap=True)
