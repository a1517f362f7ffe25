"""Console cold start: from process start to the first reply on stdout."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(rounds: int = 5) -> dict[str, float]:
    """Median wall time in milliseconds from spawning `python -m bot console` to its first reply."""
    root = Path(__file__).resolve().parent.parent
    samples = []
    rss_mb = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(rounds):
            start = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "console", "--db", f"{tmp}/b{i}.db", "--user", "bench"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=root,
            )
            assert proc.stdout is not None
            proc.stdout.readline()  # the first line of the welcome
            samples.append(time.perf_counter() - start)
            # The whole bot with the analyser and the model loaded (peak resident memory so far).
            status = Path(f"/proc/{proc.pid}/status").read_text()
            rss_mb = max(rss_mb, int(status.split("VmHWM:")[1].split()[0]) / 1024)
            proc.communicate(b"")
    return {"median_ms": statistics.median(samples) * 1e3, "max_ms": max(samples) * 1e3, "rss_mb": rss_mb}
