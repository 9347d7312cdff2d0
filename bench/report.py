"""Render benchmark results as Markdown into docs/benchmarks.md.

Only the text between the two marker comments is replaced, so the prose
written by hand around it stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["render", "replace_section", "write_report"]

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"

_SYNC_TARGET = {"10": 1.25, "200": 2.0}
_OFFICIAL_TARGET = {"10": 15.0, "200": 40.0}
_ASYNC_TARGET = 0.8
_IMPORT_TARGET = 1.5


def write_report(results: dict[str, Any], path: Path) -> None:
    replace_section(path, START, END, render(results))


def replace_section(path: Path, start: str, end: str, body: str) -> None:
    """Put `body` between the `start` and `end` markers, appending them if absent."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if start not in text or end not in text:
        text = f"{text.rstrip()}\n\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    path.write_text(f"{head}{start}\n{body}\n{end}{tail}")


def render(results: dict[str, Any]) -> str:
    return "\n\n".join(
        [
            _machine(results),
            _sync(results),
            _async(results),
            _parse(results),
            _imports(results),
        ]
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _machine(results: dict[str, Any]) -> str:
    m = results["machine"]
    r = results["rounds"]
    return (
        f"Measured by `{results['command']}` (bench/run.py took "
        f"{results['seconds']:.0f} s) on "
        f"{m['cpu']}, {m['cores']} cores, Python {m['python']}, httpx {m['httpx']} "
        f"({m['platform']}). Each figure is the median of {r['sync']} rounds "
        f"({r['official']} for the official SDK, {r['async']} for async). The "
        "sync rounds of the three clients are interleaved, and each ratio to the "
        "floor or to raw httpx is the median of the per-round ratios, so that "
        "the machine's changing load cancels out round by round."
    )


def _sync(results: dict[str, Any]) -> str:
    rows = [
        "### Sync, one call at a time (µs per call, lower is better)",
        "",
        "| events | floor: httpx get + json.loads | shippo_client get | bare generated "
        "sync | official shippo 3.9.0 | ours / floor | official / ours |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for events, figures in results["sync"].items():
        ours = figures["shippo_client"]
        official = results["official"][events]["official"]
        to_floor = figures["ratio"]
        speedup = results["official"][events]["ratio"]
        rows.append(
            f"| {events} | {figures['floor']:.0f} | {ours:.0f} | "
            f"{figures['generated']:.0f} | {official:.0f} | "
            f"{to_floor:.2f} x (target <= {_SYNC_TARGET[events]}: "
            f"{_verdict(to_floor <= _SYNC_TARGET[events])}) | "
            f"{speedup:.1f} x (target >= {_OFFICIAL_TARGET[events]:.0f}: "
            f"{_verdict(speedup >= _OFFICIAL_TARGET[events])}) |"
        )
    return "\n".join(rows)


def _async(results: dict[str, Any]) -> str:
    rows = [
        "### Async, 64 concurrent calls (requests per second, higher is better)",
        "",
        "| events | raw httpx.AsyncClient + json.loads | shippo_client get_async "
        "| ours / raw |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for events, figures in results["async"].items():
        ratio = figures["ratio"]
        rows.append(
            f"| {events} | {figures['floor']:.0f} | {figures['shippo_client']:.0f} | "
            f"{ratio:.2f} x (target >= {_ASYNC_TARGET}: "
            f"{_verdict(ratio >= _ASYNC_TARGET)}) |"
        )
    return "\n".join(rows)


def _parse(results: dict[str, Any]) -> str:
    rows = [
        "### Parsing alone: Track.from_dict on a decoded dict (µs)",
        "",
        "| events | µs per Track | µs per event |",
        "| ---: | ---: | ---: |",
    ]
    for events, micros in results["parse"].items():
        rows.append(f"| {events} | {micros:.0f} | {micros / int(events):.1f} |")
    return "\n".join(rows)


def _imports(results: dict[str, Any]) -> str:
    figures = results["imports"]
    bare = figures["python -c pass"]
    rows = [
        "### Import time (median wall time of a fresh interpreter, ms)",
        "",
        "| command | wall | minus interpreter start |",
        "| --- | ---: | ---: |",
    ]
    for name, ms in figures.items():
        if name != "ratio":
            rows.append(f"| `{name}` | {ms:.0f} | {ms - bare:.0f} |")
    ratio = figures["ratio"]
    net = (figures["import shippo_client"] - bare) / (figures["import httpx"] - bare)
    rows += [
        "",
        f"`import shippo_client` takes {ratio:.2f} x the wall time of `import httpx` "
        "(the median of the per-round ratios; "
        f"target <= {_IMPORT_TARGET}: {_verdict(ratio <= _IMPORT_TARGET)}), "
        f"or {net:.2f} x once the interpreter's own start is subtracted from "
        "the medians.",
    ]
    return "\n".join(rows)
