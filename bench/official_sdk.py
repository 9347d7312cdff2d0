"""Time the official SDK (shippo 3.9.0) against the benchmark server.

Run with the interpreter of bench/.venv-shippo, never ours: the official SDK
pins its own dependencies. Usage:
    python official_sdk.py URL
It then reads one request per line on stdin, "EVENTS CALLS", makes CALLS
calls for the body with EVENTS history events and writes the mean µs per call
as one line on stdout. bench/run.py alternates these rounds with rounds of
shippo_client, so that both meet the same load.
"""

from __future__ import annotations

import sys

import shippo
from bodies import tracking_number_for
from timing import per_call_us

_WARMUP_CALLS = 5


def main(argv: list[str]) -> None:
    sdk = shippo.Shippo(
        api_key_header="ShippoToken shippo_test_x",
        shippo_api_version="2018-02-08",
        server_url=argv[0],
    )
    warmed: set[int] = set()
    for line in sys.stdin:
        events, calls = (int(part) for part in line.split())
        number = tracking_number_for(events)

        def call(number: str = number) -> object:
            return sdk.tracking_status.get(tracking_number=number, carrier="usps")

        if events not in warmed:
            track = call()
            assert len(track.tracking_history) == events, "wrong body served"
            for _ in range(_WARMUP_CALLS):
                call()
            warmed.add(events)

        sys.stdout.write(f"{per_call_us(call, calls)}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
