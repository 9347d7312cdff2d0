"""Fixtures of the contract tests: Prism, started once per session."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PRISM = ROOT / "node_modules" / ".bin" / "prism"
_STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prism exited with code {process.returncode}")
        try:
            httpx.get(url + "/tracks/usps/1", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"prism did not respond within {_STARTUP_SECONDS} s")


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Prism's mock of openapi.yaml on 127.0.0.1, static unless asked otherwise."""
    if not PRISM.exists():
        if os.environ.get("CI"):
            pytest.fail("node_modules/.bin/prism is missing: run `make node_modules`")
        pytest.skip("Prism is not installed: run `make node_modules` (npm ci)")

    port = _free_port()
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    command = [str(PRISM), "mock", str(ROOT / "openapi.yaml")]
    command += ["-h", "127.0.0.1", "-p", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
