"""The sync and async retry loops: they send, ask the policy, sleep, repeat.

Each loop returns the final response, already read and closed, or raises the
package's connection error. Every decision comes from RetryPolicy, so the two
loops differ only in their awaits. A discarded response is read and closed
before the sleep, so its connection goes back to the pool: a pool of one
connection survives any number of retries.

Bodies are read through _Guard, which stops reading at MAX_RESPONSE_BYTES of
decoded body and, during a retry, at the policy's deadline.

NOTE: httpx decodes each network read of a compressed body (up to 64 KiB from
httpcore) in one step, so the memory used can pass the limit by one decoded
read: about 64 MiB for gzip, whose ratio is at most about 1,000 to 1.
"""

from __future__ import annotations

import logging
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
)
from dataclasses import dataclass

import httpx

from ._responses import connection_error, oversized_error, with_content
from ._retries import Attempts, Decision, RetryPolicy
from ._senders import AsyncSender, SyncSender

__all__ = ["MAX_RESPONSE_BYTES", "send_async", "send_sync"]

logger = logging.getLogger("shippo_client")

# The largest decoded response body the client reads: 16 MiB. A Track with 200
# events is about 94 kB. A larger body fails a success call with
# ResponseValidationError, and an error status keeps its first 16 MiB.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024

# The shortest per-operation timeout of a retry close to its deadline, so
# that the socket is never switched to non-blocking mode by a zero timeout.
_MIN_TIMEOUT_S = 0.001


def send_sync(
    send: SyncSender,
    request: httpx.Request,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> tuple[httpx.Response, Attempts]:
    attempts = policy.start(request.method)
    timeout = _base_timeout(request, send.client.timeout)
    while True:
        attempts.count += 1
        guard = _start_attempt(request, policy, attempts, timeout)
        try:
            # The sender never follows a redirect, even on a caller's client
            # that does, because the next host would receive the key.
            response = send(request)
            response, truncated = _read_sync(response, guard)
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
            return _final(response, attempts, truncated), attempts
        sleep(decision.delay)


async def send_async(
    send: AsyncSender,
    request: httpx.Request,
    policy: RetryPolicy,
    sleep: Callable[[float], Awaitable[None]],
) -> tuple[httpx.Response, Attempts]:
    attempts = policy.start(request.method)
    timeout = _base_timeout(request, send.client.timeout)
    while True:
        attempts.count += 1
        guard = _start_attempt(request, policy, attempts, timeout)
        try:
            response = await send(request)
            response, truncated = await _read_async(response, guard)
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
            return _final(response, attempts, truncated), attempts
        await sleep(decision.delay)


@dataclass
class _Guard:
    """The limits of one body, and how much of it arrived."""

    request: httpx.Request
    clock: Callable[[], float]
    deadline: float | None
    limit: int
    received: int = 0
    truncated: bool = False

    def admit(self, chunk: bytes) -> bytes:
        """Return the part of `chunk` within the limit; raise past the deadline."""
        if self.deadline is not None and self.clock() > self.deadline:
            raise httpx.ReadTimeout(
                "the retry ran past the backoff's max_elapsed_time",
                request=self.request,
            )
        room = self.limit - self.received
        if len(chunk) > room:
            self.truncated = True
            chunk = chunk[:room]
        self.received += len(chunk)
        return chunk


class _GuardedStream(httpx.SyncByteStream):
    """A raw response stream that passes its chunks through a _Guard."""

    def __init__(self, stream: httpx.SyncByteStream, guard: _Guard) -> None:
        self._stream = stream
        self._guard = guard

    def __iter__(self) -> Iterator[bytes]:
        return _limited(self._stream, self._guard)

    def close(self) -> None:
        self._stream.close()


class _GuardedAsyncStream(httpx.AsyncByteStream):
    """The async twin of _GuardedStream."""

    def __init__(self, stream: httpx.AsyncByteStream, guard: _Guard) -> None:
        self._stream = stream
        self._guard = guard

    def __aiter__(self) -> AsyncIterator[bytes]:
        return _alimited(self._stream, self._guard)

    async def aclose(self) -> None:
        await self._stream.aclose()


def _limited(chunks: Iterable[bytes], guard: _Guard) -> Iterator[bytes]:
    # Stopping early leaves the rest unread, and httpcore then closes the
    # connection instead of returning it to the pool.
    for chunk in chunks:
        yield guard.admit(chunk)
        if guard.truncated:
            return


async def _alimited(
    chunks: AsyncIterable[bytes], guard: _Guard
) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        yield guard.admit(chunk)
        if guard.truncated:
            return


def _base_timeout(
    request: httpx.Request, client_timeout: httpx.Timeout
) -> dict[str, float | None]:
    timeout = request.extensions.get("timeout")
    return dict(timeout) if timeout else client_timeout.as_dict()


def _start_attempt(
    request: httpx.Request,
    policy: RetryPolicy,
    attempts: Attempts,
    timeout: dict[str, float | None],
) -> _Guard:
    """Set the attempt's timeouts and return the guard for its raw body.

    A retry's timeouts shrink to the time left before its deadline, so that
    no single network operation outlasts max_elapsed_time.
    """
    deadline = policy.deadline(attempts)
    if deadline is not None:
        left = max(deadline - policy.now(), _MIN_TIMEOUT_S)
        timeout = {
            name: left if value is None else min(value, left)
            for name, value in timeout.items()
        }
    request.extensions = {**request.extensions, "timeout": timeout}
    return _Guard(request, policy.now, deadline, MAX_RESPONSE_BYTES)


def _read_sync(response: httpx.Response, guard: _Guard) -> tuple[httpx.Response, bool]:
    """Read and close the response; return it and whether its body was cut."""
    stream = response.stream
    assert isinstance(stream, httpx.SyncByteStream)
    response.stream = _GuardedStream(stream, guard)
    try:
        if _is_identity(response):
            # The raw bytes are the body, so the raw guard counts the body,
            # and httpx stores it without a copy.
            response.read()
            return response, guard.truncated

        # A compressed body is counted after decoding as well, because a
        # small gzip body can decode to gigabytes.
        decoded = _Guard(guard.request, guard.clock, None, guard.limit)
        body = b"".join(_limited(response.iter_bytes(), decoded))
    finally:
        response.close()
    return with_content(response, body), guard.truncated or decoded.truncated


async def _read_async(
    response: httpx.Response, guard: _Guard
) -> tuple[httpx.Response, bool]:
    """Read and close an async response, as _read_sync does."""
    stream = response.stream
    assert isinstance(stream, httpx.AsyncByteStream)
    response.stream = _GuardedAsyncStream(stream, guard)
    try:
        if _is_identity(response):
            await response.aread()
            return response, guard.truncated

        decoded = _Guard(guard.request, guard.clock, None, guard.limit)
        chunks = _alimited(response.aiter_bytes(), decoded)
        body = b"".join([chunk async for chunk in chunks])
    finally:
        await response.aclose()
    return with_content(response, body), guard.truncated or decoded.truncated


def _is_identity(response: httpx.Response) -> bool:
    encoding = response.headers.get("content-encoding", "")
    return encoding.strip().lower() in ("", "identity")


def _final(
    response: httpx.Response, attempts: Attempts, truncated: bool
) -> httpx.Response:
    # An error status keeps its truncated body, but a success needs all of it.
    if truncated and 200 <= response.status_code < 300:
        raise oversized_error(response, attempts.count, MAX_RESPONSE_BYTES)
    return response


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
