"""The sync and async retry loops: they send, ask the policy, sleep, repeat.

Each loop returns the final response, already read, or raises the package's
connection error. Every decision comes from RetryPolicy, so the two loops
differ only in their awaits.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import httpx

from ._responses import connection_error
from ._retries import Attempts, Decision, RetryPolicy

__all__ = ["send_async", "send_sync"]

logger = logging.getLogger("shippo_client")


def send_sync(
    client: httpx.Client,
    request: httpx.Request,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> tuple[httpx.Response, Attempts]:
    attempts = policy.start(request.method)
    while True:
        attempts.count += 1
        try:
            response = client.send(request, stream=True)
            try:
                response.read()
            finally:
                response.close()
        except httpx.TransportError as exc:
            decision = policy.after_error(attempts, exc)
            if not decision.retry:
                raise _wrap(exc, request, attempts) from exc
            _log_retry(request, attempts, decision, type(exc).__name__)
            sleep(decision.delay)
            continue

        decision = policy.after_response(attempts, response)
        if not decision.retry:
            return response, attempts
        _log_retry(request, attempts, decision, str(response.status_code))
        sleep(decision.delay)


async def send_async(
    client: httpx.AsyncClient,
    request: httpx.Request,
    policy: RetryPolicy,
    sleep: Callable[[float], Awaitable[None]],
) -> tuple[httpx.Response, Attempts]:
    attempts = policy.start(request.method)
    while True:
        attempts.count += 1
        try:
            response = await client.send(request, stream=True)
            try:
                await response.aread()
            finally:
                await response.aclose()
        except httpx.TransportError as exc:
            decision = policy.after_error(attempts, exc)
            if not decision.retry:
                raise _wrap(exc, request, attempts) from exc
            _log_retry(request, attempts, decision, type(exc).__name__)
            await sleep(decision.delay)
            continue

        decision = policy.after_response(attempts, response)
        if not decision.retry:
            return response, attempts
        _log_retry(request, attempts, decision, str(response.status_code))
        await sleep(decision.delay)


def _wrap(
    exc: httpx.TransportError, request: httpx.Request, attempts: Attempts
) -> Exception:
    return connection_error(exc, request.method, request.url.path, attempts.count)


def _log_retry(
    request: httpx.Request, attempts: Attempts, decision: Decision, outcome: str
) -> None:
    # The path names the parcel but never the key, which travels in a header.
    logger.info(
        "retrying %s %s after %s: attempt %d, sleeping %.3f s",
        request.method,
        request.url.path,
        outcome,
        attempts.count,
        decision.delay,
        extra={
            "shippo_method": request.method,
            "shippo_path": request.url.path,
            "shippo_outcome": outcome,
            "shippo_attempt": attempts.count,
            "shippo_sleep": decision.delay,
        },
    )
