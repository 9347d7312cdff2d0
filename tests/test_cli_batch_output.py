"""shippo-track batch when its output fails: one error line, no row lost."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from shippo_client.cli import main
from shippo_client.cli._batch import BatchIO, run_batch
from shippo_client.cli._parser import build_parser

NUMBERS = ["SHIPPO_TRANSIT", "SHIPPO_DELIVERED", "SHIPPO_PRE_TRANSIT"]

# Runs the batch with the output file limited to argv[1] bytes, so that a
# write past it fails with EFBIG as a write to a full disk fails with ENOSPC.
_LIMITED_RUN = """
import resource, signal, sys
from shippo_client.cli import main

limit = int(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(main(sys.argv[2:]))
"""


def _source(tmp_path: Path, count: int) -> Path:
    source = tmp_path / "parcels.csv"
    lines = ["carrier,tracking_number"]
    lines += [f"shippo,{NUMBERS[i % len(NUMBERS)]}" for i in range(count)]
    source.write_text("\n".join(lines) + "\n")
    return source


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_full_disk_reports_and_resumes(tmp_path: Path) -> None:
    source = _source(tmp_path, 40)
    out = tmp_path / "results.jsonl"
    argv = ["batch", str(source), "--sandbox", "--rate", "60000", "-o", str(out)]

    limited = subprocess.run(
        [sys.executable, "-c", _LIMITED_RUN, "2000", *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert limited.returncode == 1
    assert f"writing results to {out} failed" in limited.stderr
    assert "--resume" in limited.stderr
    assert "Traceback" not in limited.stderr
    assert 0 < out.stat().st_size <= 2000

    assert main([*argv, "--resume"]) == 0

    indexes = [row["row"] for row in _rows(out)]
    assert sorted(indexes) == list(range(1, 41))


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_dev_full_output_exits_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _source(tmp_path, 3)

    code = main(["batch", str(source), "--sandbox", "-o", "/dev/full"])

    assert code == 1
    err = capsys.readouterr().err
    assert "writing results to /dev/full failed: No space left on device" in err


@pytest.mark.parametrize("kind", ["missing folder", "folder"])
def test_unopenable_output_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    source = _source(tmp_path, 3)
    out = tmp_path / "absent" / "out.jsonl" if kind == "missing folder" else tmp_path

    code = main(["batch", str(source), "--sandbox", "-o", str(out)])

    assert code == 2
    err = capsys.readouterr().err
    assert f"cannot open {out}" in err
    assert "Traceback" not in err


class _ClosedPipe(io.StringIO):
    """A stdout whose reader has gone, as with `shippo-track batch ... | head`."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_closed_stdout_exits_one(tmp_path: Path) -> None:
    source = _source(tmp_path, 3)
    args: argparse.Namespace = build_parser().parse_args(
        ["--sandbox", "batch", str(source)]
    )
    stderr = io.StringIO()

    code = run_batch(args, BatchIO(stderr=Console(file=stderr), stdout=_ClosedPipe()))

    assert code == 1
    assert "writing results to standard output failed: Broken pipe" in stderr.getvalue()
