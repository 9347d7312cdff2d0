"""Run every benchmark against one local server and write docs/benchmarks.md.

Usage: python bench/run.py [--quick]. `make bench` runs it. The server runs
in a separate process; the official SDK runs in a subprocess with its own
virtual environment (bench/.venv-shippo, created on first use).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bodies import EVENT_COUNTS, track_dict
from cases import async_throughput, sync_cases
from imports import import_ms
from official_venv import OFFICIAL_VERSION, official_python
from report import write_report
from timing import median_per_call_us

from shippo_client._generated.models.track import Track

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent

# Calls per round for each body size, chosen so that this script takes about
# four minutes on a loaded 2-core machine. The official SDK took 12 to 500 ms
# per call here, so it gets fewer calls and at most _OFFICIAL_ROUNDS rounds.
_CALLS = {10: 1000, 200: 150}
_OFFICIAL_CALLS = {10: 60, 200: 5}
_OFFICIAL_ROUNDS = 5
_CONCURRENCY = 64
# httpx's async pool slows down as concurrency grows (here from about 600
# requests per second at 1 to 50-250 at 64, depending on load), so the async
# runs are short, with _ASYNC_ROUNDS rounds.
_ASYNC_TOTAL = {10: 64 * 4, 200: 64 * 3}
_ASYNC_ROUNDS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer rounds, for a smoke run"
    )
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per figure")
    parser.add_argument(
        "--no-write",
        action="store_true",
        help="print the results without writing docs/benchmarks.md",
    )
    args = parser.parse_args()
    rounds = 2 if args.quick else args.rounds
    scale = 0.2 if args.quick else 1.0

    started = time.perf_counter()
    with BenchServer() as url:
        results: dict[str, Any] = {"machine": _machine()}
        results["rounds"] = {
            "sync": rounds,
            "official": min(rounds, _OFFICIAL_ROUNDS),
            "async": min(rounds, _ASYNC_ROUNDS),
        }
        results["sync"] = _sync(url, rounds, scale)
        results["official"] = _official(url, rounds, scale)
        results["async"] = _async(url, rounds, scale)
    results["parse"] = _parse(rounds, scale)
    results["imports"] = _imports(5 if args.quick else 11)
    results["seconds"] = time.perf_counter() - started
    results["command"] = "make bench" + (" (--quick)" if args.quick else "")

    (_HERE / "results").mkdir(exist_ok=True)
    (_HERE / "results" / "latest.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    if not args.no_write:
        write_report(results, _ROOT / "docs" / "benchmarks.md")


class BenchServer:
    """bench/server.py in its own process; the context value is its base URL."""

    def __enter__(self) -> str:
        self._process = subprocess.Popen(
            [sys.executable, str(_HERE / "server.py")],
            stdout=subprocess.PIPE,
            text=True,
            cwd=_HERE,
        )
        assert self._process.stdout is not None
        port = int(self._process.stdout.readline())
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)


def _sync(url: str, rounds: int, scale: float) -> dict[str, dict[str, float]]:
    """Median µs per call for each client and body size, rounds interleaved."""
    out: dict[str, dict[str, float]] = {}
    for events in EVENT_COUNTS:
        cases = sync_cases(url, events)
        calls = max(10, int(_CALLS[events] * scale))
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(rounds):
            for name, call in cases.items():
                samples[name].append(median_per_call_us(call, calls, 1))
        out[str(events)] = {name: statistics.median(v) for name, v in samples.items()}
        print(f"bench: sync {events} events: {out[str(events)]}", flush=True)
    return out


def _official(url: str, rounds: int, scale: float) -> dict[str, float]:
    python = official_python()
    specs = [f"{n}:{max(5, int(_OFFICIAL_CALLS[n] * scale))}" for n in EVENT_COUNTS]
    result = subprocess.run(
        [
            str(python),
            str(_HERE / "official_sdk.py"),
            url,
            str(min(rounds, _OFFICIAL_ROUNDS)),
            *specs,
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=_HERE,
    )
    figures: dict[str, float] = json.loads(result.stdout)
    print(f"bench: official SDK: {figures}", flush=True)
    return figures


def _async(url: str, rounds: int, scale: float) -> dict[str, dict[str, float]]:
    """Median requests per second at concurrency 64."""
    out: dict[str, dict[str, float]] = {}
    for events in EVENT_COUNTS:
        total = max(_CONCURRENCY, int(_ASYNC_TOTAL[events] * scale))
        samples: dict[str, list[float]] = {"floor": [], "shippo_client": []}
        for _ in range(min(rounds, _ASYNC_ROUNDS)):
            for name, rate in async_throughput(
                url, events, _CONCURRENCY, total
            ).items():
                samples[name].append(rate)
        out[str(events)] = {name: statistics.median(v) for name, v in samples.items()}
        print(f"bench: async {events} events: {out[str(events)]}", flush=True)
    return out


def _parse(rounds: int, scale: float) -> dict[str, float]:
    """Median µs for Track.from_dict alone, from an already decoded dict."""
    out: dict[str, float] = {}
    for events in EVENT_COUNTS:
        data = track_dict(events)
        calls = max(10, int(_CALLS[events] * 2 * scale))
        out[str(events)] = median_per_call_us(
            lambda d=data: Track.from_dict(d), calls, rounds
        )
    print(f"bench: parse: {out}", flush=True)
    return out


def _imports(runs: int) -> dict[str, float]:
    python = sys.executable
    out = {
        "python -c pass": import_ms(python, "pass", runs),
        "import httpx": import_ms(python, "import httpx", runs),
        "import shippo_client": import_ms(python, "import shippo_client", runs),
        f"import shippo ({OFFICIAL_VERSION})": import_ms(
            official_python(), "import shippo", runs
        ),
    }
    print(f"bench: imports: {out}", flush=True)
    return out


def _machine() -> dict[str, str]:
    model = "unknown"
    cores = 0
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name") and model == "unknown":
            model = line.split(":", 1)[1].strip()
        if line.startswith("processor"):
            cores += 1
    return {
        "cpu": model,
        "cores": str(cores),
        "python": platform.python_version(),
        "httpx": _version("httpx"),
        "platform": platform.platform(),
    }


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    main()
