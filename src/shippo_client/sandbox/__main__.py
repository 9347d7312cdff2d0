"""Command line: ``python -m shippo_client.sandbox [options]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from ._sandbox import DEFAULT_HOST, serve

__all__ = ["build_parser", "main", "settings_from_args"]

API_KEY_ENV = "SHIPPO_SANDBOX_API_KEY"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m shippo_client.sandbox",
        description="Serve a local imitation of Shippo's test mode for the Tracks API.",
    )
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to bind")
    add_setting_arguments(parser)
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="log level; DEBUG logs one line per request",
    )
    return parser


def add_setting_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sandbox settings as options, for this module and other CLIs."""
    add = parser.add_argument
    add("--rate-limit-per-minute", type=int, help="requests per minute per key")
    add("--fault-429-permille", type=int, default=0, help="random 429s per 1000")
    add("--fault-5xx-permille", type=int, default=0, help="random 502/503s per 1000")
    add("--fault-stall-permille", type=int, default=0, help="stalls per 1000")
    add("--stall-seconds", type=float, default=30.0, help="stall length in seconds")
    add("--seed", type=int, help="seed of the fault generator")
    add(
        "--webhook-url",
        help="post track_updated events here after each registration (loopback only)",
    )
    add(
        "--advance-interval-s",
        type=float,
        default=2.0,
        help="seconds between status steps of a registered shipment; 0 disables",
    )


def settings_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """Return Sandbox keyword arguments from parsed options.

    The accepted key comes from the SHIPPO_SANDBOX_API_KEY environment
    variable rather than an option, so that it stays out of process lists.
    """
    return {
        "rate_limit_per_minute": args.rate_limit_per_minute,
        "fault_429_permille": args.fault_429_permille,
        "fault_5xx_permille": args.fault_5xx_permille,
        "fault_stall_permille": args.fault_stall_permille,
        "stall_seconds": args.stall_seconds,
        "seed": args.seed,
        "webhook_url": args.webhook_url,
        "advance_interval_s": args.advance_interval_s,
        "api_key": os.environ.get(API_KEY_ENV) or None,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(message)s")

    try:
        serve(args.port, args.host, **settings_from_args(args))
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
