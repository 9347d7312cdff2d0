"""A local server that behaves like Shippo's test mode, for tests and demos.

from shippo_client import Shippo
from shippo_client.sandbox import Sandbox

with Sandbox() as sandbox:
    with Shippo(api_key_header="shippo_test_x", server_url=sandbox.url) as client:
        track = client.tracking_status.get(
            tracking_number="SHIPPO_TRANSIT", carrier="shippo"
        )

Run it from a shell with ``python -m shippo_client.sandbox --port 8765``.
The server side uses only the standard library; webhook deliveries use httpx.
"""

from ._delivery import DeliveryRecord, Signer, check_webhook_url
from ._fixtures import TEST_CARRIER, TEST_NUMBERS
from ._sandbox import DEFAULT_HOST, Sandbox, serve
from ._settings import SandboxSettings

__all__ = [
    "DEFAULT_HOST",
    "TEST_CARRIER",
    "TEST_NUMBERS",
    "DeliveryRecord",
    "Sandbox",
    "SandboxSettings",
    "Signer",
    "check_webhook_url",
    "serve",
]
