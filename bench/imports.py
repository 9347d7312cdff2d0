"""Import time of a module: median wall time of fresh interpreters, in ms."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from pathlib import Path

__all__ = ["import_ms"]


def import_ms(python: Path | str, statement: str, runs: int) -> float:
    """Median wall time of `python -c statement` over `runs` fresh processes.

    The first run is discarded so that .pyc files exist, and
    PYTHONDONTWRITEBYTECODE is dropped because with it every run would
    compile every module from source, which users do not see.
    """
    command = [str(python), "-c", statement]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, env=env)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, env=env)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)
