"""Import times: wall time of fresh interpreters running `import X`, in ms."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

__all__ = ["import_samples"]


def import_samples(
    commands: Mapping[str, tuple[Path | str, str]], runs: int
) -> dict[str, list[float]]:
    """Time each `python -c statement` `runs` times, the commands interleaved.

    `commands` maps a label to (python, statement). One round runs every
    command once, so that the i-th samples of two commands met the same load.
    A first untimed round writes the .pyc files, and PYTHONDONTWRITEBYTECODE
    is dropped because with it every run would compile every module from
    source, which users do not see.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for round_number in range(runs + 1):
        for label, (python, statement) in commands.items():
            start = time.perf_counter()
            subprocess.run([str(python), "-c", statement], check=True, env=env)
            if round_number > 0:
                samples[label].append((time.perf_counter() - start) * 1e3)
    return samples
