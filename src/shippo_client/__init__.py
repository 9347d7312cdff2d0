"""A client for Shippo's Tracks API: tracking status and tracking webhooks.

from shippo_client import Shippo

with Shippo(api_key_header="shippo_test_...") as client:
    track = client.tracking_status.get(
        tracking_number="SHIPPO_TRANSIT", carrier="shippo"
    )
    print(track.tracking_status.status)
"""

from . import errors, models, utils
from ._client import Shippo
from ._version import __version__
from .utils import BackoffStrategy, RetryConfig

__all__ = [
    "BackoffStrategy",
    "RetryConfig",
    "Shippo",
    "__version__",
    "errors",
    "models",
    "utils",
]
