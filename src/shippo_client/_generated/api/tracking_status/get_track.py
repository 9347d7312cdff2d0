from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.bad_request import BadRequest
from ...models.error import Error
from ...models.track import Track
from ...types import UNSET, Response, Unset


def _get_kwargs(
    carrier: str,
    tracking_number: str,
    *,
    shippo_api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(shippo_api_version, Unset):
        headers["SHIPPO-API-VERSION"] = shippo_api_version

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/tracks/{carrier}/{tracking_number}".format(
            carrier=quote(str(carrier), safe=""),
            tracking_number=quote(str(tracking_number), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BadRequest | Error | Track | None:
    if response.status_code == 200:
        response_200 = Track.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = BadRequest.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

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
    carrier: str,
    tracking_number: str,
    *,
    client: AuthenticatedClient | Client,
    shippo_api_version: str | Unset = UNSET,
) -> Response[BadRequest | Error | Track]:
    """Get a tracking status

     Returns the latest tracking status and the full tracking history of a
    parcel, looked up by carrier token and tracking number.

    Args:
        carrier (str):
        tracking_number (str):
        shippo_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BadRequest | Error | Track]
    """

    kwargs = _get_kwargs(
        carrier=carrier,
        tracking_number=tracking_number,
        shippo_api_version=shippo_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    carrier: str,
    tracking_number: str,
    *,
    client: AuthenticatedClient | Client,
    shippo_api_version: str | Unset = UNSET,
) -> BadRequest | Error | Track | None:
    """Get a tracking status

     Returns the latest tracking status and the full tracking history of a
    parcel, looked up by carrier token and tracking number.

    Args:
        carrier (str):
        tracking_number (str):
        shippo_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BadRequest | Error | Track
    """

    return sync_detailed(
        carrier=carrier,
        tracking_number=tracking_number,
        client=client,
        shippo_api_version=shippo_api_version,
    ).parsed


async def asyncio_detailed(
    carrier: str,
    tracking_number: str,
    *,
    client: AuthenticatedClient | Client,
    shippo_api_version: str | Unset = UNSET,
) -> Response[BadRequest | Error | Track]:
    """Get a tracking status

     Returns the latest tracking status and the full tracking history of a
    parcel, looked up by carrier token and tracking number.

    Args:
        carrier (str):
        tracking_number (str):
        shippo_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BadRequest | Error | Track]
    """

    kwargs = _get_kwargs(
        carrier=carrier,
        tracking_number=tracking_number,
        shippo_api_version=shippo_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    carrier: str,
    tracking_number: str,
    *,
    client: AuthenticatedClient | Client,
    shippo_api_version: str | Unset = UNSET,
) -> BadRequest | Error | Track | None:
    """Get a tracking status

     Returns the latest tracking status and the full tracking history of a
    parcel, looked up by carrier token and tracking number.

    Args:
        carrier (str):
        tracking_number (str):
        shippo_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BadRequest | Error | Track
    """

    return (
        await asyncio_detailed(
            carrier=carrier,
            tracking_number=tracking_number,
            client=client,
            shippo_api_version=shippo_api_version,
        )
    ).parsed
