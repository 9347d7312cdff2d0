"""Benchmark of the time the retry and error layer adds to a successful call.

Usage: python bench/retry_overhead.py [--calls N] [--rounds R].

It starts bench/server.py (a keep-alive HTTP/1.1 server in its own process on
127.0.0.1) and times, against it, one GET /tracks/{carrier}/{number} through:
- the bare generated function, `get_track.sync` with an AuthenticatedClient;
- the package's `Shippo.tracking_status.get`, with retries on (the default).
Both parse the same Track (10 and 200 history events). The two are timed in
alternating rounds, so that drift of the machine hits both alike. The median
rounds are compared, and so are the fastest ones. It prints JSON and writes
no file. It exits with an error when the median overhead is 5 % or more.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from bodies import EVENT_COUNTS, tracking_number_for
from run import BenchServer
from timing import per_call_us

from shippo_client import Shippo
from shippo_client._generated.api.tracking_status import get_track
from shippo_client._generated.client import AuthenticatedClient
from shippo_client._generated.models.track import Track

_HERE = Path(__file__).resolve().parent
_KEY = "shippo_test_bench"
# The layer's promise: less than this much slower than the bare call.
_TARGET_PCT = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100, help="calls per round")
    parser.add_argument("--rounds", type=int, default=21, help="rounds per variant")
    args = parser.parse_args()

    with BenchServer() as url:
        results = {
            str(events): _compare(url, events, args.calls, args.rounds)
            for events in EVENT_COUNTS
        }
    print(json.dumps(results, indent=2))
    if any(figure["overhead_pct"] >= _TARGET_PCT for figure in results.values()):
        sys.exit(f"the layer adds {_TARGET_PCT} % or more to a successful call")


def _compare(url: str, events: int, calls: int, rounds: int) -> dict[str, Any]:
    number = tracking_number_for(events)
    bare_client = AuthenticatedClient(
        base_url=url, token=_KEY, prefix="ShippoToken", timeout=30.0
    )
    shippo = Shippo(_KEY, server_url=url)

    def bare() -> None:
        track = get_track.sync("usps", number, client=bare_client)
        assert isinstance(track, Track)

    def layered() -> None:
        shippo.tracking_status.get(number, "usps")

    bare_us, layered_us = _alternate(bare, layered, calls, rounds)
    bare_client.get_httpx_client().close()
    shippo.close()

    bare_median = statistics.median(bare_us)
    layered_median = statistics.median(layered_us)
    # The fastest round of each is the least disturbed by other processes,
    # so it is reported beside the medians.
    return {
        "bare_us": round(bare_median, 1),
        "layer_us": round(layered_median, 1),
        "overhead_pct": round((layered_median / bare_median - 1) * 100, 2),
        "bare_min_us": round(min(bare_us), 1),
        "layer_min_us": round(min(layered_us), 1),
        "overhead_min_pct": round((min(layered_us) / min(bare_us) - 1) * 100, 2),
        "calls_per_round": calls,
        "rounds": rounds,
    }


def _alternate(
    bare: Any, layered: Any, calls: int, rounds: int
) -> tuple[list[float], list[float]]:
    for warmup in (bare, layered):
        per_call_us(warmup, 50)

    bare_us: list[float] = []
    layered_us: list[float] = []
    for index in range(rounds):
        # Alternate which goes first, so neither always runs on a warm cache.
        order = [(bare, bare_us), (layered, layered_us)]
        for call, sink in order if index % 2 == 0 else order[::-1]:
            sink.append(per_call_us(call, calls))
    return bare_us, layered_us


if __name__ == "__main__":
    main()
