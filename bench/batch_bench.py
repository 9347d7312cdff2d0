"""Time `shippo-track batch` against a local sandbox and record its peak memory.

Usage: python bench/batch_bench.py [--no-write]. It starts the sandbox
(`python -m shippo_client.sandbox`) in its own process on 127.0.0.1, then runs
the CLI as a subprocess three times:
- 10,000 rows with --rate 6000 (per minute), which the limit alone lets
  finish in 100 s. The wall time shows how close the CLI gets to rows / rate
  (the CLI and sandbox together sustain about 200 to 400 rows per second here,
  so a higher rate would measure their throughput instead of the limiter);
- 1,000 and 100,000 rows with a rate too high to bind, to compare peak RSS.
Peak RSS comes from os.wait4 on each CLI process, so it counts that process
only, not the sandbox.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from batch_report import write_batch_report

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent
_CLI = Path(sys.executable).with_name("shippo-track")
_NUMBERS = (
    "SHIPPO_TRANSIT",
    "SHIPPO_DELIVERED",
    "SHIPPO_PRE_TRANSIT",
    "SHIPPO_RETURNED",
)
_CONCURRENCY = 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--no-write",
        action="store_true",
        help="print the results without writing docs/benchmarks.md",
    )
    parser.add_argument(
        "--rows", type=int, default=10_000, help="rows of the timed run"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=6_000,
        help="--rate of the timed run, in requests per minute",
    )
    parser.add_argument(
        "--memory-rows", type=int, default=100_000, help="rows of the big memory run"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch, _Sandbox() as url:
        folder = Path(scratch)
        timed = _run(url, folder, args.rows, args.rate)
        small = _run(url, folder, 1_000, 6_000_000)
        big = _run(url, folder, args.memory_rows, 6_000_000)

    results: dict[str, Any] = {
        "timed": timed,
        "expected_seconds": args.rows / args.rate * 60,
        "memory": {"small": small, "big": big},
        "concurrency": _CONCURRENCY,
    }
    print(json.dumps(results, indent=2))
    if not args.no_write:
        write_batch_report(results, _ROOT / "docs" / "benchmarks.md")


class _Sandbox:
    def __enter__(self) -> str:
        port = _free_port()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "shippo_client.sandbox", "--port", str(port)],
            stdout=subprocess.DEVNULL,
        )
        _wait_for_port(port)
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)


def _free_port() -> int:
    # NOTE: another process could take the port between close() and the
    # sandbox's bind; on a bench machine that is unlikely enough.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the sandbox did not listen on port {port} within 15 s")


def _run(url: str, folder: Path, rows: int, rate: float) -> dict[str, float]:
    """Run one batch and return its rows, wall seconds, peak RSS and exit code."""
    source = folder / f"in-{rows}.csv"
    _write_rows(source, rows)
    output = folder / f"out-{rows}.jsonl"
    command = [
        str(_CLI),
        "--base-url",
        url,
        "batch",
        str(source),
        "--output",
        str(output),
        "--rate",
        str(rate),
        "--concurrency",
        str(_CONCURRENCY),
    ]
    env = {**os.environ, "SHIPPO_API_KEY": "shippo_test_bench"}

    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start

    written = sum(1 for _ in output.open()) if output.exists() else 0
    figures = {
        "rows": rows,
        "rate_per_minute": rate,
        "seconds": wall,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "exit_code": os.waitstatus_to_exitcode(status),
        "output_rows": written,
    }
    print(f"bench: batch {figures}", flush=True)
    return figures


def _write_rows(path: Path, rows: int) -> None:
    with path.open("w") as out:
        out.write("carrier,tracking_number\n")
        for i in range(rows):
            out.write(f"shippo,{_NUMBERS[i % len(_NUMBERS)]}\n")


if __name__ == "__main__":
    main()
