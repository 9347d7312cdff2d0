"""scripts/update_spec.py: upstream document + corrections overlay = openapi.yaml."""

from __future__ import annotations

import copy
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
def loaded_upstream() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(UPSTREAM.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def upstream(loaded_upstream: dict[str, Any]) -> dict[str, Any]:
    # A copy per test, because the tests alter it.
    return copy.deepcopy(loaded_upstream)


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


# The tests below alter a copy of the committed spec and pass it as the old
# file, so the summary compares it with the spec built from the real upstream.


@pytest.fixture
def committed() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return document


def _compare_with_old(tmp_path: Path, old: dict[str, Any]) -> str:
    output = tmp_path / "openapi.yaml"
    output.write_text(yaml.safe_dump(old, sort_keys=False), encoding="utf-8")

    result = _run(UPSTREAM, output)

    assert output.read_bytes() == SPEC.read_bytes()
    return result.stdout


def test_parameter_changes_are_reported(
    tmp_path: Path, committed: dict[str, Any]
) -> None:
    get_track = committed["paths"]["/tracks/{carrier}/{tracking_number}"]["get"]
    carrier, _, _ = get_track["parameters"]
    carrier["required"] = False
    carrier["schema"]["type"] = "integer"
    # An inline copy of the version header, in lowercase and required, so
    # only its required flag differs from the $ref in the new document.
    header = dict(committed["components"]["parameters"]["ShippoApiVersionHeader"])
    header.update(name="shippo-api-version", required=True)
    query = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    get_track["parameters"] = [carrier, header, query]
    committed["paths"]["/tracks/"]["post"]["parameters"] = []

    stdout = _compare_with_old(tmp_path, committed)

    assert "API change: 6 change(s), 3 breaking" in stdout
    assert "BREAKING  parameter GetTrack.carrier (path) became required" in stdout
    assert "BREAKING  parameter GetTrack.carrier (path) type integer -> string" in (
        stdout
    )
    assert "BREAKING  parameter GetTrack.tracking_number (path) added (required)" in (
        stdout
    )
    assert (
        "ok        parameter GetTrack.SHIPPO-API-VERSION (header) became optional"
        in (stdout)
    )
    assert "ok        parameter GetTrack.limit (query) removed" in stdout
    assert "ok        parameter CreateTrack.SHIPPO-API-VERSION (header) added" in stdout


def test_response_status_changes_are_reported(
    tmp_path: Path, committed: dict[str, Any]
) -> None:
    get_responses = committed["paths"]["/tracks/{carrier}/{tracking_number}"]["get"][
        "responses"
    ]
    # GetTrack used to succeed with 203 instead of 200, had a 409 and no 404.
    get_responses["203"] = get_responses.pop("200")
    get_responses["409"] = {"description": "Conflict."}
    del get_responses["404"]
    # CreateTrack used to succeed with 200 only.
    del committed["paths"]["/tracks/"]["post"]["responses"]["201"]

    stdout = _compare_with_old(tmp_path, committed)

    assert "API change: 5 change(s), 2 breaking" in stdout
    assert "BREAKING  response GetTrack.200 added" in stdout
    assert "BREAKING  response GetTrack.203 removed" in stdout
    assert "ok        response GetTrack.404 added" in stdout
    assert "ok        response GetTrack.409 removed" in stdout
    assert "ok        response CreateTrack.201 added" in stdout


def test_response_content_changes_are_reported(
    tmp_path: Path, committed: dict[str, Any]
) -> None:
    responses = committed["components"]["responses"]
    track_content = responses["TrackResponse"]["content"]
    track_content["application/json"]["schema"] = {"$ref": "#/components/schemas/Error"}
    track_content["application/xml"] = {"schema": {"type": "string"}}
    del responses["NotFoundResponse"]["content"]["text/html"]
    # Only GetTrack documents 404, and the success response is shared by
    # GetTrack's 200 and CreateTrack's 200 and 201.
    stdout = _compare_with_old(tmp_path, committed)

    assert "API change: 7 change(s), 6 breaking" in stdout
    for status in ("CreateTrack.200", "CreateTrack.201", "GetTrack.200"):
        assert f"BREAKING  response {status} media type application/xml removed" in (
            stdout
        )
        assert (
            f"BREAKING  response {status} application/json schema Error -> Track"
            in stdout
        )
    assert "ok        response GetTrack.404 media type text/html added" in stdout


def test_upstream_header_type_change_is_reported(
    tmp_path: Path, upstream: dict[str, Any]
) -> None:
    # The overlay replaces upstream's paths but keeps the version header's
    # schema type, so an upstream change to it reaches openapi.yaml.
    header = upstream["components"]["parameters"]["ShippoApiVersionHeader"]
    header["schema"]["type"] = "integer"
    source, output = _altered(tmp_path, upstream)

    result = _run(source, output)

    assert "API change: 2 change(s), 2 breaking" in result.stdout
    for op_id in ("CreateTrack", "GetTrack"):
        assert (
            f"BREAKING  parameter {op_id}.SHIPPO-API-VERSION (header) type "
            "string -> integer" in result.stdout
        )


def test_path_item_parameters_are_compared(
    tmp_path: Path, committed: dict[str, Any]
) -> None:
    # OpenAPI lets a path item list parameters for all its operations, so
    # moving them there from the operation changes nothing for a client.
    path_item = committed["paths"]["/tracks/{carrier}/{tracking_number}"]
    path_item["parameters"] = path_item["get"].pop("parameters")

    stdout = _compare_with_old(tmp_path, committed)

    assert "API change: none" in stdout
