"""Time the official SDK (shippo 3.9.0) against the benchmark server.

Run with the interpreter of bench/.venv-shippo, never ours: the official SDK
pins its own dependencies. Usage:
    python official_sdk.py URL ROUNDS EVENTS:CALLS [EVENTS:CALLS ...]
It prints one JSON object {events: median µs per call} on stdout.
"""

from __future__ import annotations

import json
import sys

import shippo
from bodies import tracking_number_for
from timing import median_per_call_us


def main(argv: list[str]) -> None:
    url, rounds = argv[0], int(argv[1])
    sdk = shippo.Shippo(
        api_key_header="ShippoToken shippo_test_x",
        shippo_api_version="2018-02-08",
        server_url=url,
    )
    results: dict[str, float] = {}
    for spec in argv[2:]:
        events, calls = (int(part) for part in spec.split(":"))
        number = tracking_number_for(events)
        track = sdk.tracking_status.get(tracking_number=number, carrier="usps")
        assert len(track.tracking_history) == events, "wrong body served"

        def call(number: str = number) -> object:
            return sdk.tracking_status.get(tracking_number=number, carrier="usps")

        results[str(events)] = median_per_call_us(call, calls, rounds, warmup=5)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
