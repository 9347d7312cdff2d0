"""openapi.yaml is valid OpenAPI, and the committed code is generated from it."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi.yaml"
GENERATED = ROOT / "src" / "shippo_client" / "_generated"


def test_spec_is_valid_openapi() -> None:
    validate(yaml.safe_load(SPEC.read_text(encoding="utf-8")))


def test_spec_with_a_wrong_type_is_rejected() -> None:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    spec["components"]["schemas"]["Track"]["properties"]["carrier"]["type"] = "str"

    with pytest.raises(OpenAPIValidationError):
        validate(spec)


def regenerate(spec_dir: Path, output: Path) -> None:
    """Run scripts/regen.sh on the spec in spec_dir, writing to output."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    script = spec_dir / "scripts" / "regen.sh"
    subprocess.run(
        ["bash", str(script), str(output)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )


def drift(committed: Path, fresh: Path) -> list[str]:
    """Describe each file that differs between two generated trees."""
    names = {p.relative_to(committed) for p in _files(committed)}
    names |= {p.relative_to(fresh) for p in _files(fresh)}
    problems = []
    for name in sorted(names):
        old, new = committed / name, fresh / name
        if not old.exists():
            problems.append(f"{name}: missing from the committed code")
        elif not new.exists():
            problems.append(f"{name}: committed but no longer generated")
        elif old.read_bytes() != new.read_bytes():
            problems.append(f"{name}: differs\n{_diff(old, new)}")
    return problems


def _files(tree: Path) -> list[Path]:
    return [p for p in tree.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def _diff(old: Path, new: Path) -> str:
    lines = difflib.unified_diff(
        old.read_text(encoding="utf-8").splitlines(),
        new.read_text(encoding="utf-8").splitlines(),
        "committed",
        "generated from openapi.yaml",
        lineterm="",
        n=1,
    )
    return "\n".join(list(lines)[:20])


def _message(problems: list[str]) -> str:
    return (
        "src/shippo_client/_generated does not match openapi.yaml, "
        "generator-config.yaml and templates/. Never edit generated files by "
        "hand: change the spec, config or templates and run `make regen`.\n"
        + "\n".join(problems)
    )


def test_committed_code_is_what_the_spec_generates(tmp_path: Path) -> None:
    fresh = tmp_path / "_generated"
    regenerate(ROOT, fresh)

    problems = drift(GENERATED, fresh)

    assert not problems, _message(problems)


def test_a_hand_edit_is_reported_with_its_file_and_the_fix(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    regenerate(ROOT, fresh)
    edited = tmp_path / "edited"
    shutil.copytree(GENERATED, edited, ignore=shutil.ignore_patterns("__pycache__"))
    track = edited / "models" / "track.py"
    track.write_text(track.read_text() + "\n# hand edit\n", encoding="utf-8")

    message = _message(drift(edited, fresh))

    assert "models/track.py: differs" in message
    assert "+# hand edit" not in message  # the diff shows what regen would write
    assert "-# hand edit" in message
    assert "make regen" in message


def test_a_stale_spec_is_reported(tmp_path: Path) -> None:
    # A field renamed in the spec only: the committed code no longer matches.
    copy = tmp_path / "project"
    for part in ("scripts", "templates"):
        shutil.copytree(ROOT / part, copy / part)
    shutil.copy(ROOT / "generator-config.yaml", copy)
    text = SPEC.read_text(encoding="utf-8")
    (copy / "openapi.yaml").write_text(
        text.replace("        transaction:\n", "        transaction_id:\n", 1),
        encoding="utf-8",
    )
    fresh = tmp_path / "fresh"
    regenerate(copy, fresh)

    problems = drift(GENERATED, fresh)

    assert any(p.startswith("models/track.py: differs") for p in problems)
    assert "transaction_id" in _message(problems)
