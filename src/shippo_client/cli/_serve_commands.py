"""The `sandbox` and `listen` commands: local servers in the foreground."""

from __future__ import annotations

import argparse
import json
import os
import threading

from rich.console import Console

from .. import errors
from ._context import report_error
from ._render import event_line

__all__ = ["run_listen", "run_sandbox"]


def run_sandbox(args: argparse.Namespace, console: Console) -> int:
    """Serve the sandbox on 127.0.0.1 until Ctrl-C."""
    from ..sandbox import serve

    try:
        serve(
            port=args.port,
            rate_limit_per_minute=args.rate_limit,
            fault_429_permille=args.fault_429,
            fault_5xx_permille=args.fault_5xx,
            fault_stall_permille=args.fault_stall,
            webhook_url=args.webhook_url,
        )
    except errors.ShippoError as error:
        return report_error(error)
    except KeyboardInterrupt:
        return 0
    return 0


def run_listen(
    args: argparse.Namespace,
    console: Console,
    stop: threading.Event | None = None,
) -> int:
    """Print each webhook delivery received on 127.0.0.1:PORT until Ctrl-C."""
    from ..webhooks import AnyWebhookEvent, HmacVerifier, WebhookReceiver

    secret = args.secret or os.environ.get("SHIPPO_WEBHOOK_SECRET")
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
        console.print(f"shippo-track listen: error: {error}", markup=False)
        return 1
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
