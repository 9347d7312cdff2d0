"""The argparse parser of shippo-track: commands, options and their units."""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING

from .._version import __version__
from ._track_commands import MIN_WATCH_INTERVAL_S

__all__ = ["DEFAULT_RATE_PER_MINUTE", "PROG", "build_parser"]

if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]

PROG = "shippo-track"

# Shippo's documented limit for GET /tracks with a live key, per minute.
DEFAULT_RATE_PER_MINUTE = 500.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Track parcels with Shippo's Tracks API.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    _add_global_options(parser, suppress_defaults=False)

    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    shared = argparse.ArgumentParser(add_help=False)
    _add_global_options(shared, suppress_defaults=True)

    _add_get(commands, shared)
    _add_register(commands, shared)
    _add_watch(commands, shared)
    _add_batch(commands, shared)
    _add_sandbox(commands)
    _add_listen(commands)
    _add_completion(commands)
    return parser


def _add_global_options(
    parser: argparse.ArgumentParser, *, suppress_defaults: bool
) -> None:
    # The options are accepted before and after the command. After it, their
    # defaults are suppressed so that they do not overwrite a value given
    # before the command.
    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress_defaults else value

    group = parser.add_argument_group("client options")
    group.add_argument(
        "--api-key",
        default=default(None),
        metavar="KEY",
        help="Shippo API key (default: $SHIPPO_API_KEY). Prefer the variable: "
        "command lines are visible to other local users.",
    )
    group.add_argument(
        "--base-url",
        default=default(None),
        metavar="URL",
        help="API base URL (default: $SHIPPO_SERVER_URL, else "
        "https://api.goshippo.com)",
    )
    group.add_argument(
        "--api-version",
        default=default(None),
        metavar="DATE",
        help="SHIPPO-API-VERSION header, a date such as 2018-02-08 "
        "(default: the account's version)",
    )
    group.add_argument(
        "--timeout",
        type=_positive_float,
        default=default(30.0),
        metavar="SECONDS",
        help="timeout of each request, in seconds (default: 30)",
    )
    group.add_argument(
        "--sandbox",
        action="store_true",
        default=default(False),
        help="start an in-process sandbox on a free 127.0.0.1 port and send "
        "requests to it; the key defaults to shippo_test_sandbox",
    )


def _add_get(commands: Commands, shared: argparse.ArgumentParser) -> None:
    sub = commands.add_parser(
        "get",
        parents=[shared],
        help="print a parcel's status and history",
        description="Print a parcel's current status and its tracking history.",
    )
    _add_parcel_arguments(sub)
    _add_json_flag(sub)


def _add_register(commands: Commands, shared: argparse.ArgumentParser) -> None:
    sub = commands.add_parser(
        "register",
        parents=[shared],
        help="register a parcel for track_updated webhooks (POST /tracks/)",
        description="Register a parcel for tracking webhooks and print its Track.",
    )
    _add_parcel_arguments(sub)
    sub.add_argument(
        "--metadata",
        metavar="TEXT",
        help="free text stored with the registration, at most 100 characters",
    )
    _add_json_flag(sub)


def _add_watch(commands: Commands, shared: argparse.ArgumentParser) -> None:
    sub = commands.add_parser(
        "watch",
        parents=[shared],
        help="poll a parcel until its status is final",
        description="Poll a parcel and print each new tracking event once, until "
        "the status is DELIVERED, RETURNED or FAILURE (exit 0) or --max-time "
        "passes (exit 3).",
    )
    _add_parcel_arguments(sub)
    sub.add_argument(
        "--interval",
        type=_watch_interval,
        default=300.0,
        metavar="SECONDS",
        help=f"seconds between polls (default: 300, minimum: {MIN_WATCH_INTERVAL_S:g})",
    )
    sub.add_argument(
        "--max-time",
        type=_positive_float,
        default=None,
        metavar="SECONDS",
        help="stop after this many seconds without a final status "
        "(default: no limit). The global --timeout is per request.",
    )


def _add_batch(commands: Commands, shared: argparse.ArgumentParser) -> None:
    sub = commands.add_parser(
        "batch",
        parents=[shared],
        help="track many parcels from a CSV or JSON Lines file",
        description="Track every carrier/number pair of FILE concurrently and "
        "write one result or error row per input row. Exit status: 0 when every "
        "row succeeded, 1 when any row failed, 2 for usage errors, 130 when "
        "interrupted.",
    )
    sub.add_argument(
        "file", metavar="FILE", help="input file, CSV with a header row or JSON Lines"
    )
    sub.add_argument(
        "--input-format",
        choices=("csv", "jsonl"),
        help="input format (default: from the extension)",
    )
    sub.add_argument(
        "--carrier-column",
        default="carrier",
        metavar="NAME",
        help="column or key of the carrier token (default: carrier)",
    )
    sub.add_argument(
        "--number-column",
        default="tracking_number",
        metavar="NAME",
        help="column or key of the tracking number (default: tracking_number)",
    )
    sub.add_argument(
        "--output", "-o", metavar="FILE", help="result file (default: standard output)"
    )
    sub.add_argument(
        "--output-format",
        choices=("jsonl", "csv"),
        help="result format (default: csv for a .csv --output, else jsonl)",
    )
    sub.add_argument(
        "--resume",
        action="store_true",
        help="skip input rows already in --output and append the rest",
    )
    sub.add_argument(
        "--retry-failed",
        action="store_true",
        help="with --resume, also track again the rows that ended as "
        "RateLimitError, ServerError, APIConnectionError or APITimeoutError. "
        "The output is rewritten through a temporary file, so each row "
        "appears once, with its latest result",
    )
    sub.add_argument(
        "--concurrency",
        type=_positive_int,
        default=8,
        metavar="N",
        help="requests in flight at most (default: 8)",
    )
    sub.add_argument(
        "--rate",
        type=_positive_float,
        default=DEFAULT_RATE_PER_MINUTE,
        metavar="PER_MINUTE",
        help="requests per minute at most, spread evenly (default: 500, Shippo's "
        "GET limit for live keys; test keys get 50)",
    )
    sub.add_argument(
        "--max-attempts",
        type=_positive_int,
        default=4,
        metavar="N",
        help="attempts per row at most, after 429, 5XX or connection errors "
        "(default: 4). A 429 to a request sent before the rate limiter last "
        "slowed down does not count, up to N such 429s",
    )


def _add_sandbox(commands: Commands) -> None:
    sub = commands.add_parser(
        "sandbox",
        help="run a local server that behaves like Shippo's test mode",
        description="Serve a Shippo test-mode sandbox on 127.0.0.1 until Ctrl-C. "
        "It accepts any well-formed key unless the environment variable "
        "SHIPPO_SANDBOX_API_KEY is set; then it accepts only that key.",
    )
    sub.add_argument(
        "--port",
        type=_port,
        default=8765,
        metavar="N",
        help="TCP port on 127.0.0.1 (default: 8765; 0 picks a free one)",
    )
    sub.add_argument(
        "--rate-limit",
        type=_positive_int,
        default=None,
        metavar="PER_MINUTE",
        help="respond with 429 beyond this many requests per minute per key "
        "(default: no limit)",
    )
    sub.add_argument(
        "--fault-429",
        type=_permille,
        default=0,
        metavar="PERMILLE",
        help="chance per thousand requests of a 429 response (default: 0)",
    )
    sub.add_argument(
        "--fault-5xx",
        type=_permille,
        default=0,
        metavar="PERMILLE",
        help="chance per thousand requests of a 502 or 503 response (default: 0)",
    )
    sub.add_argument(
        "--fault-stall",
        type=_permille,
        default=0,
        metavar="PERMILLE",
        help="chance per thousand requests of a stalled response (default: 0)",
    )
    sub.add_argument(
        "--webhook-url",
        metavar="URL",
        help="deliver track_updated events for registered parcels to this URL "
        "(loopback hosts only)",
    )
    sub.add_argument(
        "--webhook-secret-env",
        metavar="NAME",
        help="sign deliveries with the HMAC secret in the environment variable "
        "NAME, as `listen` checks them (default: $SHIPPO_WEBHOOK_SECRET when set, "
        "else unsigned)",
    )


def _add_listen(commands: Commands) -> None:
    sub = commands.add_parser(
        "listen",
        help="receive webhook deliveries on 127.0.0.1 and print them",
        description="Receive track_updated webhooks on 127.0.0.1 and print each "
        "event as it arrives, until Ctrl-C.",
    )
    sub.add_argument(
        "--port",
        type=_port,
        default=8000,
        metavar="N",
        help="TCP port on 127.0.0.1 (default: 8000; 0 picks a free one)",
    )
    sub.add_argument(
        "--json", action="store_true", help="print each event as one JSON line"
    )
    sub.add_argument(
        "--token",
        metavar="TEXT",
        help="accept only deliveries whose URL has ?token=TEXT",
    )
    sub.add_argument(
        "--secret",
        metavar="TEXT",
        help="check the HMAC signature with this secret (default: "
        "$SHIPPO_WEBHOOK_SECRET). Prefer the variable: command lines are visible "
        "to other local users.",
    )


def _add_completion(commands: Commands) -> None:
    sub = commands.add_parser(
        "completion",
        help="print a shell completion script",
        description="Print a completion script; load it with "
        "`source <(shippo-track completion bash)`.",
    )
    sub.add_argument("shell", choices=("bash", "zsh"), help="the shell")


def _add_parcel_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "carrier",
        metavar="CARRIER",
        help="carrier token, e.g. usps, or shippo with a test key",
    )
    sub.add_argument("number", metavar="NUMBER", help="the carrier's tracking number")


def _add_json_flag(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--json", action="store_true", help="print the Track as JSON, dates in ISO 8601"
    )


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text!r}")
    return value


def _integer(text: str, noun: str = "integer") -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid {noun}: {text!r}") from None


def _positive_int(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _port(text: str) -> int:
    value = _integer(text, "port")
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0 to 65535, got {text!r}")
    return value


def _permille(text: str) -> int:
    value = _integer(text)
    if not 0 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"must be 0 to 1000, got {text!r}")
    return value


def _watch_interval(text: str) -> float:
    value = _positive_float(text)
    if value < MIN_WATCH_INTERVAL_S:
        raise argparse.ArgumentTypeError(
            f"must be at least {MIN_WATCH_INTERVAL_S:g} seconds, got {text!r}"
        )
    return value
