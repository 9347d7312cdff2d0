"""Render the CLI batch benchmark into its section of docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from report import replace_section

__all__ = ["write_batch_report"]

START = "<!-- batch:start -->"
END = "<!-- batch:end -->"

# The batch run may take at most this much longer than rows / rate.
_RATE_TOLERANCE = 0.05


def write_batch_report(results: dict[str, Any], path: Path) -> None:
    replace_section(path, START, END, _render(results))


def _render(results: dict[str, Any]) -> str:
    timed = results["timed"]
    expected = results["expected_seconds"]
    over = timed["seconds"] / expected - 1
    small = results["memory"]["small"]
    big = results["memory"]["big"]
    rows = [
        "| run | rows | --rate (per minute) | wall (s) | peak RSS (MiB) | exit code "
        "| result rows |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, run in (("timed", timed), ("memory, small", small), ("memory, big", big)):
        rows.append(
            f"| {name} | {run['rows']:,} | {run['rate_per_minute']:,.0f} | "
            f"{run['seconds']:.1f} | {run['peak_rss_mib']:.0f} | "
            f"{run['exit_code']} | {run['output_rows']:,} |"
        )
    verdict = "met" if over <= _RATE_TOLERANCE else "**missed**"
    growth = big["peak_rss_mib"] / small["peak_rss_mib"]
    summary = (
        f"The timed run took {timed['seconds']:.2f} s against {expected:.2f} s "
        f"for rows / rate, {over:+.1%} (target within +{_RATE_TOLERANCE:.0%}: "
        f"{verdict}), or {timed['rows'] / timed['seconds']:.0f} rows per second; "
        "the wall time includes the CLI's start. Peak RSS grew "
        f"{growth:.2f} x for {big['rows'] // small['rows']} x the rows. "
        f"Concurrency {results['concurrency']}."
    )
    return "\n".join([*rows, "", summary])
