from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bad_request import BadRequest
from ...models.error import Error
from ...models.track import Track
from ...models.tracks_request import TracksRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TracksRequest,
    shippo_api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(shippo_api_version, Unset):
        headers["SHIPPO-API-VERSION"] = shippo_api_version

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/tracks/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BadRequest | Error | Track | None:
    if response.status_code == 200:
        response_200 = Track.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Track.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = BadRequest.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = Error.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BadRequest | Error | Track]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TracksRequest,
    shippo_api_version: str | Unset = UNSET,
) -> Response[BadRequest | Error | Track]:
    """Register a tracking webhook

     Registers a parcel for tracking, so that Shippo sends a `track_updated`
    event to the account's tracking webhooks whenever its status changes.
    Returns the parcel's current Track. Registration is not idempotent:
    registering the same parcel twice can cause duplicate notifications.

    Args:
        shippo_api_version (str | Unset):
        body (TracksRequest): A parcel to register for tracking webhooks.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BadRequest | Error | Track]
    """

    kwargs = _get_kwargs(
        body=body,
        shippo_api_version=shippo_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: TracksRequest,
    shippo_api_version: str | Unset = UNSET,
) -> BadRequest | Error | Track | None:
    """Register a tracking webhook

     Registers a parcel for tracking, so that Shippo sends a `track_updated`
    event to the account's tracking webhooks whenever its status changes.
    Returns the parcel's current Track. Registration is not idempotent:
    registering the same parcel twice can cause duplicate notifications.

    Args:
        shippo_api_version (str | Unset):
        body (TracksRequest): A parcel to register for tracking webhooks.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BadRequest | Error | Track
    """

    return sync_detailed(
        client=client,
        body=body,
        shippo_api_version=shippo_api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TracksRequest,
    shippo_api_version: str | Unset = UNSET,
) -> Response[BadRequest | Error | Track]:
    """Register a tracking webhook

     Registers a parcel for tracking, so that Shippo sends a `track_updated`
    event to the account's tracking webhooks whenever its status changes.
    Returns the parcel's current Track. Registration is not idempotent:
    registering the same parcel twice can cause duplicate notifications.

    Args:
        shippo_api_version (str | Unset):
        body (TracksRequest): A parcel to register for tracking webhooks.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BadRequest | Error | Track]
    """

    kwargs = _get_kwargs(
        body=body,
        shippo_api_version=shippo_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TracksRequest,
    shippo_api_version: str | Unset = UNSET,
) -> BadRequest | Error | Track | None:
    """Register a tracking webhook

     Registers a parcel for tracking, so that Shippo sends a `track_updated`
    event to the account's tracking webhooks whenever its status changes.
    Returns the parcel's current Track. Registration is not idempotent:
    registering the same parcel twice can cause duplicate notifications.

    Args:
        shippo_api_version (str | Unset):
        body (TracksRequest): A parcel to register for tracking webhooks.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BadRequest | Error | Track
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            shippo_api_version=shippo_api_version,
        )
    ).parsed
