"""`make bench`: every figure of issue 15 in one run, the unoptimised path beside the optimised
one — ingest speed per backend, retrieval quality, then searches/s and asks/s at 1 and 8
clients with 1 and 2 workers, CPU per search and memory per worker. Each part is a script
that also runs alone (bench/README.md). The load average is printed with each part: on a
shared machine, compare the columns of one run.

    .venv/bin/python bench/bench.py            # ~5 minutes on a quiet two-core machine
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = (
    ("ingest speed per backend", ["ingest_bench.py"]),
    ("retrieval quality, before and after", ["quality.py"]),
    ("throughput, latency, CPU and memory", ["throughput.py"]),
)


def main() -> None:
    started = time.perf_counter()
    for title, command in PARTS:
        print(f"\n=== {title} (load average {os.getloadavg()[0]:.1f}) ===", flush=True)
        subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=True)
    minutes = (time.perf_counter() - started) / 60
    print(f"\nbench finished in {minutes:.1f} min (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
