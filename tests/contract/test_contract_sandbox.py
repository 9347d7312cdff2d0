"""Schemathesis checks that the sandbox conforms to openapi.yaml."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from contract.wire import SPEC_PATH
from shippo_client.sandbox import Sandbox, _app
from shippo_client.sandbox._fixtures import TEST_CARRIER, TEST_NUMBERS

KEY = "shippo_test_0123456789abcdef0123456789abcdef01234567"
ST = Path(sys.executable).parent / "st"


def _test_mode_spec(url: str) -> dict[str, Any]:
    """openapi.yaml narrowed to what a test key may ask for.

    With a test key, Shippo (and so the sandbox) returns 400 for any carrier
    but "shippo" and any number but the six SHIPPO_* ones. Schemathesis
    treats a 400 to a schema-valid request as a failure, and would almost
    never reach a 200, so the copy lists the test values as enums; the
    coverage phase still sends values outside them, which must get a 4XX.
    """
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    spec["servers"] = [{"url": url}]
    carrier = {"type": "string", "enum": [TEST_CARRIER]}
    number = {"type": "string", "enum": sorted(TEST_NUMBERS)}
    get = spec["paths"]["/tracks/{carrier}/{tracking_number}"]["get"]
    for parameter in get["parameters"]:
        if parameter.get("name") == "carrier":
            parameter["schema"] = carrier
        elif parameter.get("name") == "tracking_number":
            parameter["schema"] = number
    request = spec["components"]["schemas"]["TracksRequest"]["properties"]
    request["carrier"] = carrier
    request["tracking_number"] = number
    return spec


def _schemathesis(
    tmp_path: Path, url: str, examples: int = 25
) -> subprocess.CompletedProcess[str]:
    spec = tmp_path / "openapi-test-mode.yaml"
    spec.write_text(yaml.safe_dump(_test_mode_spec(url)), encoding="utf-8")
    command = [str(ST), "run", str(spec), "--url", url]
    command += ["-H", f"Authorization: ShippoToken {KEY}"]
    command += ["--checks", "all", "--max-examples", str(examples), "--seed", "42"]
    command += ["--generation-database", "none", "--no-color"]
    command += ["--phases", "examples,coverage,fuzzing,stateful"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_sandbox_conforms_to_spec(tmp_path: Path) -> None:
    with Sandbox(port=0) as sandbox:
        result = _schemathesis(tmp_path, sandbox.url)

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_sandbox_wrong_type_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = _app.track_body

    def wrong(*args: Any, **kwargs: Any) -> dict[str, Any]:
        body = copy.deepcopy(real(*args, **kwargs))
        body["carrier"] = 5
        return body

    monkeypatch.setattr(_app, "track_body", wrong)
    with Sandbox(port=0) as sandbox:
        result = _schemathesis(tmp_path, sandbox.url, examples=5)

    assert result.returncode == 1
    assert "Response violates schema" in result.stdout
    assert "ST108 Response violates schema" in result.stdout
    assert '5 is not of type "string"' in result.stdout
    assert "/components/schemas/Track/properties/carrier" in result.stdout
