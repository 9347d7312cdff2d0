"""Create bench/.venv-shippo with the official SDK, shippo==3.9.0, once."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

__all__ = ["OFFICIAL_VERSION", "official_python"]

OFFICIAL_VERSION = "3.9.0"
_VENV = Path(__file__).resolve().parent / ".venv-shippo"


def official_python() -> Path:
    """Return the venv's interpreter, installing the SDK on first use."""
    python = _VENV / "bin" / "python"
    if _installed(python):
        return python

    print(f"bench: installing shippo=={OFFICIAL_VERSION} into {_VENV}", flush=True)
    venv.create(_VENV, with_pip=True, clear=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"shippo=={OFFICIAL_VERSION}"],
        check=True,
    )
    return python


def _installed(python: Path) -> bool:
    if not python.exists():
        return False
    probe = "import importlib.metadata as m; print(m.version('shippo'))"
    result = subprocess.run(
        [str(python), "-c", probe], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() == OFFICIAL_VERSION


if __name__ == "__main__":
    sys.stdout.write(f"{official_python()}\n")
