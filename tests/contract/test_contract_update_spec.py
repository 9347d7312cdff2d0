"""scripts/update_spec.py: upstream document + corrections overlay = openapi.yaml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "update_spec.py"
SPEC = ROOT / "openapi.yaml"
UPSTREAM = ROOT.parent / "shared" / "upstream" / "shippo-public-api-2024-06-24.yaml"

pytestmark = pytest.mark.skipif(
    not UPSTREAM.exists(), reason=f"{UPSTREAM} is not beside the checkout"
)


@pytest.fixture(scope="module")
def upstream() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(UPSTREAM.read_text(encoding="utf-8"))
    return document


def _run(source: Path, output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(source), "--output", str(output)],
        check=True,
        capture_output=True,
        text=True,
    )


def _altered(tmp_path: Path, document: dict[str, Any]) -> tuple[Path, Path]:
    source = tmp_path / "upstream.yaml"
    source.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    output = tmp_path / "openapi.yaml"
    output.write_bytes(SPEC.read_bytes())
    return source, output


def test_the_upstream_document_gives_the_committed_spec(tmp_path: Path) -> None:
    committed = SPEC.read_bytes()
    output = tmp_path / "openapi.yaml"
    output.write_bytes(committed)

    result = _run(UPSTREAM, output)

    assert output.read_bytes() == committed
    assert "API change: none" in result.stdout
    assert result.stderr == ""
    assert SPEC.read_bytes() == committed


def test_a_non_breaking_change_is_reported_as_such(
    tmp_path: Path, upstream: dict[str, Any]
) -> None:
    schemas = upstream["components"]["schemas"]
    schemas["Track"]["properties"]["description"] = {"type": "string"}
    schemas["TrackingStatusEnum"]["enum"].append("IN_CUSTOMS")
    source, output = _altered(tmp_path, upstream)

    result = _run(source, output)

    assert "API change: 2 change(s), 0 breaking" in result.stdout
    assert "ok        field Track.description added" in result.stdout
    assert "ok        enum value TrackingStatusEnum.IN_CUSTOMS added" in result.stdout
    assert yaml.safe_load(output.read_text())["components"]["schemas"]["Track"][
        "properties"
    ]["description"] == {"type": "string"}


def test_a_breaking_change_is_reported_as_such(
    tmp_path: Path, upstream: dict[str, Any]
) -> None:
    # A field renamed upstream, an enum value dropped and a type changed.
    track = upstream["components"]["schemas"]["Track"]
    track["properties"]["tracking_no"] = track["properties"].pop("tracking_number")
    track["required"] = [
        "tracking_no" if f == "tracking_number" else f for f in track["required"]
    ]
    upstream["components"]["schemas"]["TrackingStatusEnum"]["enum"].remove("RETURNED")
    request = upstream["components"]["schemas"]["TracksRequest"]
    request["properties"]["metadata"]["type"] = "integer"
    source, output = _altered(tmp_path, upstream)

    result = _run(source, output)

    assert "BREAKING  field Track.tracking_number removed" in result.stdout
    assert "ok        field Track.tracking_no added (required)" in result.stdout
    assert "BREAKING  enum value TrackingStatusEnum.RETURNED removed" in result.stdout
    assert "BREAKING  field TracksRequest.metadata type string -> integer" in (
        result.stdout
    )
    # The corrections of the renamed field no longer apply, and the script reports it.
    assert "Track.properties.tracking_number" in result.stderr
    assert SPEC.read_bytes() != output.read_bytes()


def test_a_document_without_tracks_operations_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "empty.yaml"
    source.write_text("openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n")

    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(source), "--output", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "no operation tagged 'Tracking Status'" in result.stderr
