"""The `sandbox` and `listen` commands: local servers in the foreground."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Mapping
from typing import Any

from rich.console import Console

from .. import errors
from ._context import report_error
from ._render import event_line

__all__ = [
    "SANDBOX_KEY_ENV",
    "WEBHOOK_SECRET_ENV",
    "run_listen",
    "run_sandbox",
    "sandbox_settings",
]

# Secrets come from the environment, never from options, because every local
# user can read a process's command line.
SANDBOX_KEY_ENV = "SHIPPO_SANDBOX_API_KEY"
WEBHOOK_SECRET_ENV = "SHIPPO_WEBHOOK_SECRET"


class SandboxUsageError(Exception):
    """An invalid `sandbox` option or environment variable; exit code 2."""


def run_sandbox(
    args: argparse.Namespace,
    console: Console,
    stop: threading.Event | None = None,
) -> int:
    """Serve the sandbox on 127.0.0.1 until Ctrl-C (or until `stop` is set)."""
    from ..sandbox import Sandbox

    try:
        settings = sandbox_settings(args, os.environ)
    except SandboxUsageError as error:
        return _print_error("sandbox", str(error), 2)

    sandbox = Sandbox(args.port, **settings)
    try:
        sandbox.start()
    except OSError as error:
        reason = error.strerror or str(error)
        message = f"cannot listen on 127.0.0.1:{args.port}: {reason}"
        return _print_error("sandbox", message, 1)

    try:
        _print_sandbox_banner(console, sandbox.url, args, settings)
        (stop or threading.Event()).wait()
    except KeyboardInterrupt:
        return 0
    finally:
        sandbox.stop()
    return 0


def sandbox_settings(
    args: argparse.Namespace, environ: Mapping[str, str]
) -> dict[str, Any]:
    """Return the Sandbox keyword arguments of `sandbox`, checked.

    Raises SandboxUsageError with a message that names the option or the
    environment variable, and never its secret value.
    """
    from ..sandbox import check_webhook_url

    if args.webhook_url is not None:
        try:
            check_webhook_url(args.webhook_url)
        except ValueError as error:
            raise SandboxUsageError(
                str(error).replace("webhook_url", "--webhook-url", 1)
            ) from None

    return {
        "rate_limit_per_minute": args.rate_limit,
        "fault_429_permille": args.fault_429,
        "fault_5xx_permille": args.fault_5xx,
        "fault_stall_permille": args.fault_stall,
        "webhook_url": args.webhook_url,
        "api_key": _sandbox_key(environ),
        "webhook_signer": _webhook_signer(args.webhook_secret_env, environ),
    }


def _sandbox_key(environ: Mapping[str, str]) -> str | None:
    key = environ.get(SANDBOX_KEY_ENV, "").strip()
    if not key:
        return None
    if any(character.isspace() for character in key):
        raise SandboxUsageError(f"${SANDBOX_KEY_ENV} must be a key without spaces")
    return key


def _webhook_signer(name: str | None, environ: Mapping[str, str]) -> Any:
    from ..webhooks import HmacSigner

    secret = environ.get(name or WEBHOOK_SECRET_ENV, "")
    if not secret and name is not None:
        raise SandboxUsageError(
            f"--webhook-secret-env {name}: the environment variable ${name} is "
            "not set or empty; export the webhook secret in it"
        )
    return HmacSigner(secret).headers if secret else None


def _print_sandbox_banner(
    console: Console, url: str, args: argparse.Namespace, settings: dict[str, Any]
) -> None:
    lines = [f"Shippo sandbox listening on {url} (Ctrl-C to stop)"]
    if settings["api_key"] is not None:
        lines.append(f"Accepting only the API key in ${SANDBOX_KEY_ENV}.")
    if settings["webhook_url"] is not None and settings["webhook_signer"] is not None:
        name = args.webhook_secret_env or WEBHOOK_SECRET_ENV
        lines.append(f"Signing webhook deliveries with the secret in ${name}.")
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)


def _print_error(command: str, message: str, code: int) -> int:
    print(f"shippo-track {command}: error: {message}", file=sys.stderr)
    return code


def run_listen(
    args: argparse.Namespace,
    console: Console,
    stop: threading.Event | None = None,
) -> int:
    """Print each webhook delivery received on 127.0.0.1:PORT until Ctrl-C."""
    from ..webhooks import AnyWebhookEvent, HmacVerifier, WebhookReceiver

    secret = args.secret or os.environ.get(WEBHOOK_SECRET_ENV)
    verifier = HmacVerifier(secret) if secret else None
    lock = threading.Lock()

    def on_event(event: AnyWebhookEvent) -> None:
        # Deliveries arrive on several threads; the lock keeps lines whole.
        with lock:
            _print_event(console, event, as_json=args.json)

    try:
        with WebhookReceiver(
            port=args.port, token=args.token, verifier=verifier, on_event=on_event
        ) as receiver:
            if not args.json:
                console.print(f"Listening on {receiver.url}; stop with Ctrl-C.")
            (stop or threading.Event()).wait()
    except errors.ShippoError as error:
        return report_error(error)
    except OSError as error:
        reason = error.strerror or str(error)
        return _print_error("listen", f"cannot listen on port {args.port}: {reason}", 1)
    except KeyboardInterrupt:
        return 0
    return 0


def _print_event(console: Console, event: object, *, as_json: bool) -> None:
    from ..webhooks import TrackUpdatedEvent

    if as_json:
        console.print(
            json.dumps(_event_dict(event)),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        return
    if isinstance(event, TrackUpdatedEvent):
        track = event.data
        status = track.tracking_status
        line = f"{track.carrier} {track.tracking_number}"
        if status:
            line += f"  {event_line(status)}"
        console.print(line, markup=False, highlight=False, soft_wrap=True)
        return
    text = f"{getattr(event, 'event', 'event')}: {getattr(event, 'data', '')}"
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _event_dict(event: object) -> dict[str, object]:
    from ..webhooks import TrackUpdatedEvent

    if isinstance(event, TrackUpdatedEvent):
        data: object = event.data.to_dict()
    else:
        data = getattr(event, "data", None)
    return {
        "event": str(getattr(event, "event", "")),
        "test": getattr(event, "test", None),
        "data": data,
    }
