"""Rendering of a Track for a terminal (rich) or as JSON."""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..models import Track, TrackingStatus
from ..models.components import Unset
from ._fields import (
    current_status,
    format_date,
    format_location,
    short_date,
    status_name,
    substatus_code,
)

__all__ = ["event_key", "event_line", "plural", "print_track", "track_json"]

_FINAL_STYLES = {"DELIVERED": "green", "RETURNED": "yellow", "FAILURE": "red"}


def plural(count: int, noun: str) -> str:
    """Return "1 poll" or "3 polls": the count and the noun, plural when needed."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def track_json(track: Track) -> str:
    """Return the Track as indented JSON, dates in ISO 8601, as Shippo sent it."""
    return json.dumps(track.to_dict(), indent=2, ensure_ascii=False)


def print_track(console: Console, track: Track) -> None:
    """Print the current status, then the history as a table, earliest first."""
    console.print(_headline(track))
    for line in _summary_lines(track):
        console.print(line, markup=False, highlight=False)

    if not track.tracking_history:
        console.print("No tracking history yet.")
        return
    console.print(_history_table(track.tracking_history))


def event_line(event: TrackingStatus) -> str:
    """Return one event as a single line, for `watch`."""
    parts = [format_date(event.status_date) or format_date(event.object_created)]
    parts.append(_status_text(event))
    parts.append(format_location(event.location))
    parts.append(event.status_details or "")
    return "  ".join(part for part in parts if part)


def event_key(event: TrackingStatus) -> str:
    """Return an id for deduplication: Shippo's object_id when it sent one."""
    if event.object_id:
        return event.object_id
    return f"{event.status}|{format_date(event.status_date)}|{event.status_details}"


def _headline(track: Track) -> str:
    event = current_status(track)
    status = status_name(event) or "NO STATUS"
    style = _FINAL_STYLES.get(status, "cyan")
    return (
        f"[bold]{escape(track.carrier)} {escape(track.tracking_number)}[/bold]: "
        f"[bold {style}]{escape(status)}[/bold {style}]"
    )


def _summary_lines(track: Track) -> list[str]:
    event = current_status(track)
    lines = []
    if event is not None and event.status_details:
        lines.append(f"  {event.status_details}")
    if event is not None and not isinstance(event.substatus, Unset) and event.substatus:
        lines.append(f"  substatus: {event.substatus.code} ({event.substatus.text})")
    if event is not None and (date := short_date(event.status_date)):
        lines.append(f"  date: {date}")
    if event is not None and (where := format_location(event.location)):
        lines.append(f"  location: {where}")
    if eta := short_date(track.eta):
        lines.append(f"  ETA: {eta}")
    return lines


def _history_table(history: list[TrackingStatus]) -> Table:
    table = Table(title="History", title_justify="left")
    table.add_column("Status", no_wrap=True)
    table.add_column("Substatus", overflow="fold", max_width=18)
    table.add_column("Date", no_wrap=True)
    table.add_column("Location", overflow="fold", max_width=20)
    table.add_column("Details", overflow="fold", ratio=1)

    for event in history:
        table.add_row(
            status_name(event),
            substatus_code(event),
            short_date(event.status_date),
            format_location(event.location),
            event.status_details or "",
        )
    return table


def _status_text(event: TrackingStatus) -> str:
    code = substatus_code(event)
    return f"{event.status} ({code})" if code else str(event.status)
