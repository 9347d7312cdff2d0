"""The documented examples and the demo run against the sandbox."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

from shippo_client import errors
from shippo_client.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SDK_DOCS = ROOT.parent / "shared" / "reference" / "tracking-status-sdk-docs.md"


@pytest.mark.skipif(
    not SDK_DOCS.exists(), reason="the SDK reference is not beside the repo"
)
def test_examples_match_sdk_docs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", SDK_DOCS.read_text(), re.S)
    expected = [
        b.replace("from shippo import", "from shippo_client import") for b in blocks
    ]

    actual = [
        (EXAMPLES / name).read_text() for name in ("docs_create.py", "docs_get.py")
    ]

    assert actual == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "docs_create.py",
            "usps is not a valid test tracking carrier. Please use 'shippo'",
        ),
        (
            "docs_get.py",
            "<value> is not a valid test tracking carrier. Please use 'shippo'",
        ),
    ],
)
def test_docs_example_gets_test_mode_error(
    name: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox(port=0) as sandbox:
        monkeypatch.setenv("SHIPPO_SERVER_URL", sandbox.url)

        with pytest.raises(errors.BadRequestError) as info:
            runpy.run_path(str(EXAMPLES / name), run_name="__main__")

    assert info.value.status_code == 400
    assert info.value.message == message


def test_demo_tracks_every_test_number(capsys: pytest.CaptureFixture[str]) -> None:
    demo = runpy.run_path(str(EXAMPLES / "demo.py"))

    assert demo["main"]() == 0

    output = capsys.readouterr().out
    for number in demo["TEST_NUMBERS"]:
        assert f"$ shippo-track get shippo {number}" in output
    assert "SHIPPO_RETURNED      RETURNED     5 events" in output
    assert "BadRequestError: 400 usps is not a valid test tracking carrier" in output
