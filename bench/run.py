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
from imports import import_samples
from official_venv import OFFICIAL_VERSION, official_python
from report import write_report
from timing import median_per_call_us, per_call_us

from shippo_client._generated.models.track import Track

_HERE = Path(__file__).resolve().parent
_ROOT = _HERE.parent

# Calls per round for each body size. A round takes about 0.1 s per client,
# so that a change of the machine's load seldom falls between the floor's
# round and the next client's round. The official SDK took 12 to 250 ms per
# call here, so it gets fewer calls and at most _OFFICIAL_ROUNDS rounds.
_CALLS = {10: 150, 200: 50}
_OFFICIAL_CALLS = {10: 60, 200: 5}
_OFFICIAL_ROUNDS = 9
_CONCURRENCY = 64
# httpx's async pool slows down as concurrency grows (here from about 600
# requests per second at 1 to 50-350 at 64, depending on load), so the async
# rounds are short, and there are _ASYNC_ROUNDS of them.
_ASYNC_TOTAL = {10: 64 * 4, 200: 64 * 3}
_ASYNC_ROUNDS = 15


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer rounds, for a smoke run"
    )
    parser.add_argument(
        "--rounds", type=int, default=31, help="timed sync rounds per figure"
    )
    parser.add_argument(
        "--no-write",
        action="store_true",
        help="print the results without writing docs/benchmarks.md",
    )
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
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
    results["imports"] = _imports(5 if args.quick else 15)
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
    """Return the median µs per call of each client and body size.

    Each round times the floor and then each client, so `ratio` is the median
    of the per-round ratios of shippo_client to the floor. Pairing the rounds
    keeps a change of load between rounds out of the ratio.
    """
    out: dict[str, dict[str, float]] = {}
    for events in EVENT_COUNTS:
        cases = sync_cases(url, events)
        calls = max(10, int(_CALLS[events] * scale))
        for call in cases.values():
            for _ in range(20):
                call()
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(rounds):
            for name, call in cases.items():
                samples[name].append(per_call_us(call, calls))
        figures = {name: statistics.median(v) for name, v in samples.items()}
        figures["ratio"] = _paired_ratio(samples["shippo_client"], samples["floor"])
        out[str(events)] = figures
        print(f"bench: sync {events} events: {figures}", flush=True)
    return out


def _paired_ratio(ours: list[float], reference: list[float]) -> float:
    return statistics.median(a / b for a, b in zip(ours, reference, strict=True))


def _official(url: str, rounds: int, scale: float) -> dict[str, dict[str, float]]:
    """Return the official SDK's median µs per call and its paired ratio to ours.

    The official SDK runs in a worker process with its own virtual
    environment. Each of its rounds follows a round of shippo_client, and the
    ratio is the median of the per-round ratios.
    """
    command = [str(official_python()), str(_HERE / "official_sdk.py"), url]
    out: dict[str, dict[str, float]] = {}
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=_HERE
    ) as worker:
        assert worker.stdin is not None and worker.stdout is not None
        for events in EVENT_COUNTS:
            ours = sync_cases(url, events)["shippo_client"]
            ours_calls = max(10, int(_CALLS[events] * scale))
            official_calls = max(5, int(_OFFICIAL_CALLS[events] * scale))
            for _ in range(20):
                ours()
            samples: dict[str, list[float]] = {"official": [], "shippo_client": []}
            for _ in range(min(rounds, _OFFICIAL_ROUNDS)):
                samples["shippo_client"].append(per_call_us(ours, ours_calls))
                worker.stdin.write(f"{events} {official_calls}\n")
                worker.stdin.flush()
                samples["official"].append(float(worker.stdout.readline()))
            figures = {name: statistics.median(v) for name, v in samples.items()}
            figures["ratio"] = _paired_ratio(
                samples["official"], samples["shippo_client"]
            )
            out[str(events)] = figures
            print(f"bench: official SDK {events} events: {figures}", flush=True)
        worker.stdin.close()
    return out


def _async(url: str, rounds: int, scale: float) -> dict[str, dict[str, float]]:
    """Return the median requests per second at concurrency 64 and the paired ratio."""
    out: dict[str, dict[str, float]] = {}
    for events in EVENT_COUNTS:
        total = max(_CONCURRENCY, int(_ASYNC_TOTAL[events] * scale))
        samples: dict[str, list[float]] = {"floor": [], "shippo_client": []}
        for round_number in range(min(rounds, _ASYNC_ROUNDS)):
            # Alternate which client runs first, so that neither always
            # meets the server's state after the other.
            rates = async_throughput(
                url, events, _CONCURRENCY, total, ours_first=round_number % 2 == 1
            )
            for name, rate in rates.items():
                samples[name].append(rate)
        figures = {name: statistics.median(v) for name, v in samples.items()}
        figures["ratio"] = _paired_ratio(samples["shippo_client"], samples["floor"])
        out[str(events)] = figures
        print(f"bench: async {events} events: {figures}", flush=True)
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


def _imports(runs: int) -> dict[str, Any]:
    """Return the median import times and the paired ratio of ours to httpx."""
    python = sys.executable
    samples = import_samples(
        {
            "python -c pass": (python, "pass"),
            "import httpx": (python, "import httpx"),
            "import shippo_client": (python, "import shippo_client"),
            f"import shippo ({OFFICIAL_VERSION})": (official_python(), "import shippo"),
        },
        runs,
    )
    out: dict[str, Any] = {name: statistics.median(v) for name, v in samples.items()}
    out["ratio"] = _paired_ratio(
        samples["import shippo_client"], samples["import httpx"]
    )
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
