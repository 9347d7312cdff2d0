"""Track every Shippo test number against a local sandbox, then run the doc examples.

Run with `make demo`. Nothing here reaches Shippo: a sandbox that behaves like
Shippo's test mode listens on a free port of 127.0.0.1 for the duration.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

from shippo_client import Shippo, errors
from shippo_client.sandbox import Sandbox

TEST_NUMBERS = [
    "SHIPPO_PRE_TRANSIT",
    "SHIPPO_TRANSIT",
    "SHIPPO_DELIVERED",
    "SHIPPO_RETURNED",
    "SHIPPO_FAILURE",
    "SHIPPO_UNKNOWN",
]
DEMO_KEY = "shippo_test_demo"
EXAMPLES = Path(__file__).parent
CLI = Path(sys.executable).with_name("shippo-track")


def main() -> int:
    with Sandbox(port=0) as sandbox:
        print(f"Sandbox listening on {sandbox.url}\n")
        failures = _track_with_cli(sandbox.url)
        _track_with_library(sandbox.url)
        _run_documented_examples(sandbox.url)
    return 1 if failures else 0


def _track_with_cli(url: str) -> int:
    failures = 0
    for number in TEST_NUMBERS:
        command = [str(CLI), "--base-url", url, "--api-key", DEMO_KEY]
        print(f"$ shippo-track get shippo {number}")
        # A pipe has no terminal width, so give the tables room.
        env = {**os.environ, "COLUMNS": os.environ.get("COLUMNS", "120")}
        done = subprocess.run([*command, "get", "shippo", number], check=False, env=env)
        failures += done.returncode != 0
        print()
    return failures


def _track_with_library(url: str) -> None:
    print("The same numbers through the Python API:")
    with Shippo(api_key_header=DEMO_KEY, server_url=url) as client:
        for number in TEST_NUMBERS:
            track = client.tracking_status.get(tracking_number=number, carrier="shippo")
            status = track.tracking_status.status if track.tracking_status else None
            count = len(track.tracking_history)
            events = "event" if count == 1 else "events"
            print(f"  {number:<20} {status!s:<12} {count} {events}")
    print()


def _run_documented_examples(url: str) -> None:
    # The examples are the SDK documentation's, unchanged but for the import.
    # They use a real carrier (usps) or placeholders, which Shippo's test mode
    # rejects with a 400, and the sandbox responds as test mode does.
    os.environ["SHIPPO_SERVER_URL"] = url
    for name in ("docs_create.py", "docs_get.py"):
        print(f"$ python examples/{name}")
        try:
            runpy.run_path(str(EXAMPLES / name), run_name="__main__")
        except errors.SDKError as error:
            print(f"  {type(error).__name__}: {error}")
        print()


if __name__ == "__main__":
    sys.exit(main())
