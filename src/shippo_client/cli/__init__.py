"""The shippo-track command: track parcels from a terminal or a script.

shippo-track get shippo SHIPPO_TRANSIT --sandbox
shippo-track batch parcels.csv --output results.jsonl --rate 500
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rich.console import Console

from ._batch import BatchIO, run_batch
from ._completion import completion_script
from ._parser import build_parser
from ._serve_commands import run_listen, run_sandbox
from ._track_commands import run_get, run_register, run_watch

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run shippo-track with `argv` (default: sys.argv) and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    stdout = Console(soft_wrap=False)
    stderr = Console(stderr=True)

    try:
        return _dispatch(parser, args, stdout, stderr)
    except KeyboardInterrupt:
        return 130


def _dispatch(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    stdout: Console,
    stderr: Console,
) -> int:
    command = args.command
    if command == "get":
        return run_get(args, stdout)
    if command == "register":
        return run_register(args, stdout)
    if command == "watch":
        return run_watch(args, stdout)
    if command == "batch":
        return run_batch(args, BatchIO(stderr=stderr, stdout=sys.stdout))
    if command == "sandbox":
        return run_sandbox(args, stdout)
    if command == "listen":
        return run_listen(args, stdout)
    print(completion_script(parser, args.shell), end="")
    return 0
