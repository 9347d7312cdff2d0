"""The callables under test, each returning a parsed Track (or a dict for the floor)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import httpx
from bodies import tracking_number_for

from shippo_client import Shippo
from shippo_client._generated.api.tracking_status import get_track
from shippo_client._generated.client import AuthenticatedClient

__all__ = ["async_throughput", "sync_cases"]

_KEY = "shippo_test_x"


def sync_cases(url: str, events: int) -> dict[str, Callable[[], object]]:
    """Return one zero-argument call per client, all hitting the same body."""
    number = tracking_number_for(events)
    path = f"/tracks/usps/{number}"
    raw = httpx.Client(base_url=url)
    sdk = Shippo(api_key_header=_KEY, shippo_api_version="2018-02-08", server_url=url)
    generated = AuthenticatedClient(base_url=url, token=_KEY, prefix="ShippoToken")

    def floor() -> object:
        return json.loads(raw.get(path).content)

    def package() -> object:
        return sdk.tracking_status.get(tracking_number=number, carrier="usps")

    def bare() -> object:
        return get_track.sync("usps", number, client=generated)

    return {"floor": floor, "shippo_client": package, "generated": bare}


def async_throughput(
    url: str, events: int, concurrency: int, total: int, *, ours_first: bool = False
) -> dict[str, float]:
    """Return requests per second for raw httpx.AsyncClient and get_async."""
    number = tracking_number_for(events)
    runs = [_raw_rate, _package_rate]
    if ours_first:
        runs.reverse()
    rates: dict[str, float] = {}
    for run in runs:
        rates.update(asyncio.run(run(url, number, concurrency, total)))
    return {"floor": rates["floor"], "shippo_client": rates["shippo_client"]}


async def _raw_rate(
    url: str, number: str, concurrency: int, total: int
) -> dict[str, float]:
    path = f"/tracks/usps/{number}"
    # Default pool limits on both sides, as Shippo's own async client uses.
    async with httpx.AsyncClient(base_url=url) as raw:

        async def floor() -> object:
            return json.loads((await raw.get(path)).content)

        return {"floor": await _rate(floor, concurrency, total)}


async def _package_rate(
    url: str, number: str, concurrency: int, total: int
) -> dict[str, float]:
    async with Shippo(api_key_header=_KEY, server_url=url) as sdk:

        async def package() -> object:
            return await sdk.tracking_status.get_async(
                tracking_number=number, carrier="usps"
            )

        return {"shippo_client": await _rate(package, concurrency, total)}


async def _rate(
    call: Callable[[], Awaitable[object]], concurrency: int, total: int
) -> float:
    per_worker = total // concurrency

    async def worker() -> None:
        for _ in range(per_worker):
            await call()

    # One call per worker first, so every pooled connection is open.
    await asyncio.gather(*(call() for _ in range(concurrency)))
    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return per_worker * concurrency / (time.perf_counter() - start)
