"""Shared helpers: start a local server, time requests, print percentiles."""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "I found a 15-year-old hidden in a truck, what do I do first?",
    "What is a National Referral Mechanism?",
    "Can a child victim be detained at the border?",
    "How should I interview a child victim of trafficking?",
    "What are indicators of trafficking at a border crossing?",
    "What immediate needs should first responders attend to?",
    "Who can support a child during a police interview?",
    "What is the non-punishment principle?",
    "How do I refer a victim to services?",
    "What does do no harm mean for frontline responders?",
    "Should a guardian be appointed for an unaccompanied child?",
    "How can I share referral information safely with a victim?",
]

# Benchmark queries in the other languages Haven searches (timing only, not quality).
OTHER_LANGUAGE_QUESTIONS = [
    "¿Cómo entrevisto a un niño víctima de trata?",
    "¿Qué es un mecanismo nacional de derivación?",
    "Comment protéger l'identité d'une victime de la traite ?",
    "Un enfant non accompagné peut-il être placé en détention ?",
    "Как провести беседу с ребёнком, пострадавшим от торговли людьми?",
    "Какие признаки торговли людьми на границе?",
    "Bagaimana cara merujuk korban perdagangan orang ke layanan?",
    "Apa kebutuhan mendesak korban anak saat pertama ditemukan?",
    "Làm thế nào để phỏng vấn trẻ em là nạn nhân mua bán người?",
    "Nạn nhân có được ở lại nhà tạm lánh bao lâu?",
    "จะสัมภาษณ์เด็กที่เป็นผู้เสียหายจากการค้ามนุษย์อย่างไร",
    "เจ้าหน้าที่ด่านควรทำอะไรเมื่อพบเด็กไม่มีเอกสาร",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_process(
    env: dict[str, str],
    workers: int = 1,
    log: Path | None = None,
    ready_seconds: float = 120,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`haven serve` on a free 127.0.0.1 port with `env`; yields (base URL, process) once
    /ready answers 200. Output goes to `log` when given (its tail is shown if the server dies)."""
    port = free_port()
    command = [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers)]
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(log.open("wb")) if log else subprocess.DEVNULL
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc, log, ready_seconds)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def _wait_ready(base: str, proc: subprocess.Popen[bytes], log: Path | None, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/ready", timeout=5).status_code == 200:
                return
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            raise RuntimeError("the server exited; is the index built? run `haven ingest`\n" + tail)
        time.sleep(0.5)
    raise RuntimeError(f"the server was not ready in {seconds:.0f} s")


def load_average() -> float:
    """The machine's 1-minute load average: print it beside every figure (other work on the
    machine slows everything measured)."""
    return os.getloadavg()[0]


@contextlib.contextmanager
def server(workers: int = 1) -> Iterator[str]:
    # Rate limits off: a benchmark's clients far outpace a person.
    env = dict(
        os.environ,
        HF_HUB_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        HAVEN_ACCESS__RATE_LIMIT_PER_IP="0",
        HAVEN_ACCESS__RATE_LIMIT_PER_KEY="0",
    )
    with serve_process(env, workers) as (base, _):
        yield base


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def timed(call: Callable[[], httpx.Response]) -> float:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
    return elapsed


def run_latency(
    label: str,
    base: str,
    path: str,
    body: Callable[[int], dict[str, object]],
    requests: int = 60,
    concurrency: int = 8,
) -> dict[str, float]:
    with httpx.Client(base_url=base, timeout=60) as client:
        for i in range(3):  # warm-up
            client.post(path, json=body(i))
        seq = [timed(lambda i=i: client.post(path, json=body(i))) for i in range(requests)]
    with httpx.Client(base_url=base, timeout=60) as client, ThreadPoolExecutor(concurrency) as pool:
        started = time.perf_counter()
        conc = list(
            pool.map(lambda i: timed(lambda: client.post(path, json=body(i))), range(requests * 2))
        )
        wall = time.perf_counter() - started
    result = {
        "sequential_p50_ms": statistics.median(seq),
        "sequential_p95_ms": percentile(seq, 95),
        f"concurrent{concurrency}_p50_ms": statistics.median(conc),
        f"concurrent{concurrency}_p95_ms": percentile(conc, 95),
        f"concurrent{concurrency}_throughput_rps": len(conc) / wall,
    }
    print(f"{label} ({requests} sequential, {requests * 2} with {concurrency} clients)")
    for key, value in result.items():
        print(f"  {key:32} {value:8.1f}")
    return result
