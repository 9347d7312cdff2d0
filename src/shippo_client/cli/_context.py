"""The options every command shares: building the client and reporting errors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Protocol

from .. import Shippo, errors
from ..utils import RetryConfig

__all__ = [
    "SANDBOX_API_KEY",
    "ClientSettings",
    "error_line",
    "exit_code_for",
    "open_client",
    "report_error",
]

# The key the CLI sends to its own in-process sandbox when the user gave none.
SANDBOX_API_KEY = "shippo_test_sandbox"


@dataclass(frozen=True)
class ClientSettings:
    """The global options, as parsed."""

    api_key: str | None
    base_url: str | None
    api_version: str | None
    timeout_s: float
    sandbox: bool

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ClientSettings:
        return cls(
            api_key=args.api_key,
            base_url=args.base_url,
            api_version=args.api_version,
            timeout_s=args.timeout,
            sandbox=args.sandbox,
        )


@contextmanager
def open_client(
    settings: ClientSettings, *, retry_config: RetryConfig | None = None
) -> Iterator[Shippo]:
    """Yield a client, pointed at a fresh in-process sandbox with --sandbox."""
    with ExitStack() as stack:
        url = settings.base_url
        key = settings.api_key
        if settings.sandbox:
            url = stack.enter_context(_sandbox()).url
            key = key or os.environ.get("SHIPPO_API_KEY") or SANDBOX_API_KEY
        _check_key_given(key)

        client = Shippo(
            api_key_header=key,
            shippo_api_version=settings.api_version,
            server_url=url,
            timeout_ms=max(1, round(settings.timeout_s * 1000)),
            retry_config=retry_config,
        )
        yield stack.enter_context(client)


def _check_key_given(key: str | None) -> None:
    # The client's own message names its api_key_header argument, which
    # means nothing to a CLI user, so the CLI checks first with its options.
    raw = key if key is not None else os.environ.get("SHIPPO_API_KEY")
    if raw is None or not raw.strip():
        raise errors.ConfigurationError(
            "missing API key: pass --api-key KEY or set SHIPPO_API_KEY "
            "(or use --sandbox)"
        )


@contextmanager
def _sandbox() -> Iterator[_HasUrl]:
    # Imported here so that the other commands work while the sandbox package
    # is missing or broken.
    from ..sandbox import Sandbox

    with Sandbox(port=0) as sandbox:
        yield sandbox


class _HasUrl(Protocol):
    @property
    def url(self) -> str: ...


def error_line(error: BaseException) -> str:
    """Return one line naming the error type, the status and Shippo's message."""
    name = type(error).__name__
    if isinstance(error, errors.SDKError | errors.ResponseValidationError):
        return f"{name} ({error.status_code}): {_one_line(error.message)}"
    return f"{name}: {_one_line(str(error))}"


def exit_code_for(error: BaseException) -> int:
    """Return 2 for invalid settings or arguments, else 1."""
    if isinstance(error, errors.ConfigurationError | errors.RequestValidationError):
        return 2
    return 1


def report_error(error: BaseException) -> int:
    """Print the error as one line on stderr and return the exit code."""
    print(f"shippo-track: error: {error_line(error)}", file=sys.stderr)
    return exit_code_for(error)


def _one_line(text: str) -> str:
    return " ".join(text.split())
