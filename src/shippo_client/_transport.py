"""The sync and async retry loops: they send, ask the policy, sleep, repeat.

Each loop returns the final response, already read and closed, or raises the
package's connection error. Every decision comes from RetryPolicy, so the two
loops differ only in their awaits. A discarded response is read and closed
before the sleep, so its connection goes back to the pool: a pool of one
connection survives any number of retries.
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
            # Never follow a redirect, even on a caller's client that does,
            # because the next host would receive the key. Without stream=True,
            # httpx reads the whole body, which closes the response and returns
            # its connection to the pool, and closes it on any error.
            response = client.send(request, follow_redirects=False)
        except httpx.RequestError as exc:
            decision = policy.after_error(attempts, exc)
            _log(request, attempts, decision, type(exc).__name__)
            if not decision.retry:
                raise _wrap(exc, request, attempts) from exc
            sleep(decision.delay)
            continue

        decision = policy.after_response(attempts, response)
        _log(request, attempts, decision, str(response.status_code))
        if not decision.retry:
            return response, attempts
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
            response = await client.send(request, follow_redirects=False)
        except httpx.RequestError as exc:
            decision = policy.after_error(attempts, exc)
            _log(request, attempts, decision, type(exc).__name__)
            if not decision.retry:
                raise _wrap(exc, request, attempts) from exc
            await sleep(decision.delay)
            continue

        decision = policy.after_response(attempts, response)
        _log(request, attempts, decision, str(response.status_code))
        if not decision.retry:
            return response, attempts
        await sleep(decision.delay)


def _wrap(
    exc: httpx.RequestError, request: httpx.Request, attempts: Attempts
) -> Exception:
    return connection_error(exc, request.method, request.url.path, attempts.count)


def _log(
    request: httpx.Request, attempts: Attempts, decision: Decision, outcome: str
) -> None:
    # One INFO line per retry, and one when a retryable failure is given up
    # (decisions without a reason are plain successes or final errors). The
    # path names the parcel but never the key, which travels in a header.
    if decision.retry:
        message = "retrying %s %s after %s: attempt %d, sleeping %.3f s"
        args: tuple[object, ...] = (decision.delay,)
    elif decision.reason:
        message = "not retrying %s %s after %s: attempt %d, %s"
        args = (decision.reason,)
    else:
        return

    logger.info(
        message,
        request.method,
        request.url.path,
        outcome,
        attempts.count,
        *args,
        extra={
            "shippo_method": request.method,
            "shippo_path": request.url.path,
            "shippo_outcome": outcome,
            "shippo_attempt": attempts.count,
            "shippo_sleep": decision.delay if decision.retry else None,
        },
    )
