"""Searches/s and asks/s at 1 and 8 clients, with 1 and 2 workers, the unoptimised path beside
the optimised one, measured in the same run and interleaved.

For each worker count, `haven serve` runs first as before (MiniLM, torch runtime with every
core per worker, no query cache, no micro-batching), then as after issue 15 (MiniLM, ONNX
Runtime, cores shared out among the workers, micro-batching), over the MiniLM build that
bench/ingest_bench.py keeps in .cache/bench/ (run it first), then with e5, the default
embedder, over the index in data/ (or HAVEN_DATA_DIR; `make index` builds it), rate limits
off. The query-vector cache is off in both: every request embeds its question, as a new
question would (the cache only adds to these figures for repeated questions). Requests cycle
through the 170 English questions of eval/data (questions.jsonl and heldout-questions.jsonl);
other-language latency uses the benchmark's twelve questions in six languages.

Per server it prints: p50 latency and requests/s for 1 and 8 clients; the server's CPU time
per search (all its processes, from /proc, during the 8-client search run); and the resident
memory of each worker process. The client runs on the same machine and takes some CPU too.
The load average is printed beside each server's figures: other work on the machine slows
everything, so compare the columns of one run, not figures from different runs.

    .venv/bin/python bench/throughput.py                 # about 3 minutes on a quiet machine
    .venv/bin/python bench/throughput.py --workers 1 --requests 0.5
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from common import OTHER_LANGUAGE_QUESTIONS, ROOT, load_average, serve_process
from ingest_bench import minilm_dir

EVAL_FILES = ("questions.jsonl", "heldout-questions.jsonl")
RATE_LIMITS_OFF = {"HAVEN_ACCESS__RATE_LIMIT_PER_IP": "0", "HAVEN_ACCESS__RATE_LIMIT_PER_KEY": "0"}
# Issue 15's comparison is MiniLM's: the unoptimised path as it was before (torch, every core
# in every worker, each request embedding alone) against the optimised defaults, both over the
# MiniLM build bench/ingest_bench.py keeps. "e5" is the product's default embedder now, over
# the index in data/ (or HAVEN_DATA_DIR) that `make index` builds with it.
MINILM = {
    "HAVEN_EMBEDDING__BACKEND": "sentence-transformers",
    "HAVEN_DATA_DIR": str(minilm_dir("onnx")),
}
CONFIGS: dict[str, dict[str, str]] = {
    "before": {
        **MINILM,
        "HAVEN_EMBEDDING__RUNTIME": "torch",
        "HAVEN_EMBEDDING__THREADS": str(os.cpu_count() or 1),
        "HAVEN_EMBEDDING__QUERY_BATCH": "1",
    },
    "after": MINILM,
    "e5": {"HAVEN_EMBEDDING__BACKEND": "e5"},
}


def english_questions() -> list[str]:
    out = []
    for name in EVAL_FILES:
        for line in (ROOT / "eval" / "data" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0


class Load:
    """`clients` threads, each with its own keep-alive connection (http.client: the lightest
    client, so the load generator takes as little of the shared CPU as possible)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def run(self, path: str, bodies: list[dict[str, object]], clients: int) -> Run:
        result = Run()
        lock = threading.Lock()
        queue = list(enumerate(bodies))
        failures: list[str] = []

        def worker() -> None:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            while True:
                with lock:
                    if not queue or failures:
                        break
                    _, body = queue.pop()
                data = json.dumps(body).encode()
                started = time.perf_counter()
                conn.request("POST", path, data, {"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if response.status != 200:
                        failures.append(f"HTTP {response.status} on {path}")
                    result.latencies.append(elapsed)
            conn.close()

        threads = [threading.Thread(target=worker) for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result.seconds = time.perf_counter() - started
        if failures:
            raise RuntimeError(failures[0])
        return result


def server_tree(proc: psutil.Process) -> list[psutil.Process]:
    return [proc, *proc.children(recursive=True)]


def cpu_seconds(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def worker_rss_mb(proc: psutil.Process, workers: int) -> list[float]:
    """Resident memory of each process that serves requests: the one process with a single
    worker; uvicorn's spawned workers (not its supervisor) with several."""
    serving = [proc]
    if workers > 1:
        children = proc.children(recursive=True)
        serving = [c for c in children if "spawn_main" in " ".join(c.cmdline())] or children
    return [p.memory_info().rss / 2**20 for p in serving]


def measure_server(
    label: str, workers: int, env: dict[str, str], questions: list[str], scale: float
) -> dict[str, float]:
    n = lambda count: max(8, int(count * scale))  # noqa: E731
    cursor = iter(range(10**9))

    def bodies(count: int, make: Callable[[str], dict[str, object]]) -> list[dict[str, object]]:
        return [make(questions[next(cursor) % len(questions)]) for _ in range(count)]

    def search(q: str) -> dict[str, object]:
        return {"query": q, "k": 5}

    def ask(q: str) -> dict[str, object]:
        return {"question": q}

    log = ROOT / ".cache" / "bench" / f"serve-{label}-{workers}w.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    figures: dict[str, float] = {}
    with serve_process(env, workers, log, 240) as (base, popen):
        proc = psutil.Process(popen.pid)
        load = Load(base)
        load.run("/api/search", bodies(8, search), 4)  # warm-up: lazy loads, first calls
        load.run("/api/ask", bodies(8, ask), 4)
        load.run("/api/search", [search(q) for q in OTHER_LANGUAGE_QUESTIONS[:6]], 2)
        figures["load average (1 min)"] = load_average()
        figures["search p50 ms, 1 client, en"] = load.run(
            "/api/search", bodies(n(60), search), 1
        ).p50
        other = [search(q) for q in OTHER_LANGUAGE_QUESTIONS] * max(1, n(36) // 12)
        figures["search p50 ms, 1 client, 6 other languages"] = load.run(
            "/api/search", other, 1
        ).p50
        single = load.run("/api/search", bodies(n(60), search), 1)
        figures["searches/s, 1 client"] = single.rps
        tree = server_tree(proc)
        cpu_before = cpu_seconds(tree)
        eight = load.run("/api/search", bodies(n(240), search), 8)
        figures["CPU ms per search (server, 8 clients)"] = (
            (cpu_seconds(tree) - cpu_before) * 1000 / len(eight.latencies)
        )
        figures["searches/s, 8 clients"] = eight.rps
        figures["search p50 ms, 8 clients"] = eight.p50
        figures["asks/s, 1 client"] = load.run("/api/ask", bodies(n(40), ask), 1).rps
        asks8 = load.run("/api/ask", bodies(n(160), ask), 8)
        figures["asks/s, 8 clients"] = asks8.rps
        figures["ask p50 ms, 8 clients"] = asks8.p50
        rss = worker_rss_mb(proc, workers)
        figures["memory per worker MB (max RSS)"] = max(rss)
    return figures


def print_table(columns: dict[str, dict[str, float]]) -> None:
    names = list(columns)
    rows = list(dict.fromkeys(k for figures in columns.values() for k in figures))
    width = max(len(r) for r in rows)
    print(f"\n{'':{width}}  " + "  ".join(f"{n:>14}" for n in names))
    for row in rows:
        cells = [columns[n].get(row) for n in names]
        print(
            f"{row:{width}}  "
            + "  ".join(f"{c:14.1f}" if c is not None else " " * 14 for c in cells)
        )


def main() -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--requests", type=float, default=1.0, help="scale the request counts")
    args = parser.parse_args()
    questions = english_questions()
    base_env = dict(
        os.environ,
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        HAVEN_EMBEDDING__QUERY_CACHE="0",
        **RATE_LIMITS_OFF,
    )
    columns: dict[str, dict[str, float]] = {}
    for workers in args.workers:
        for config in args.configs:  # interleaved: before and after side by side per count
            label = f"{config} {workers}w"
            data = CONFIGS[config].get("HAVEN_DATA_DIR")
            if data and not (Path(data) / "index" / "current").exists():
                print(f"-- {label}: skipped, no index in {data} (run bench/ingest_bench.py)")
                continue
            print(f"-- {label}: starting `haven serve --workers {workers}` ...", flush=True)
            env = {**base_env, **CONFIGS[config], "HAVEN_SERVER__WORKERS": str(workers)}
            columns[label] = measure_server(config, workers, env, questions, args.requests)
            print(
                f"   done (load average {columns[label]['load average (1 min)']:.1f})", flush=True
            )
    print("\n/api/search and /api/ask over HTTP (rate limits off, query-vector cache off)")
    print_table(columns)
    return columns


if __name__ == "__main__":
    main()
