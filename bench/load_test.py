"""Load test: concurrent clients mixing search, ask and upload against `haven serve` with 1 and
then 2 worker processes, on 127.0.0.1, bounded in time and in requests.

For each worker count the server runs over a fresh copy of one prebuilt index (so the runs are
comparable and the repository's data/ is never written), with an API key for uploads and rate
limits off. It prints throughput, p50/p95/p99 per kind and overall, errors by status, the
server's peak memory (all its processes), and checks that nothing was lost: every upload the
server accepted is listed by GET /api/documents and found by /api/search with a phrase unique to
it. Exit status 1 on any 5xx, transport error or lost document.

    .venv/bin/python bench/load_test.py                   # 180 s per worker count, 8 clients
    .venv/bin/python bench/load_test.py --quick           # a short smoke run
    .venv/bin/python bench/load_test.py --duration 120 --clients 8 --workers 1 2
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from common import ROOT, percentile, serve_process

QUESTIONS_FILE = ROOT / "eval" / "data" / "questions.jsonl"
CACHE = ROOT / ".cache" / "load-index"
KINDS = ("search", "ask", "upload")
MIX = (0.65, 0.30, 0.05)
READY_SECONDS = 240
REQUEST_TIMEOUT = 180.0
# Words for the generated uploads: plain field-note prose, so each one chunks and indexes.
FILLER = (
    "The outreach team met the family at the shelter and wrote down what support they asked "
    "for, which services were contacted, and when the next visit will take place. The note "
    "records the interpreter used, the consent given for sharing information with the "
    "referral partner, and the safety plan agreed for the coming week."
)


@dataclass(frozen=True)
class Sample:
    kind: str
    status: int  # 0: no HTTP answer (timeout, connection refused or reset)
    ms: float


@dataclass(frozen=True)
class Uploaded:
    doc_id: str
    phrase: str


@dataclass
class RunResult:
    workers: int
    seconds: float
    samples: list[Sample]
    uploads: list[Uploaded]
    peak_rss_mb: float
    idle_rss_mb: float
    lost: list[str] = field(default_factory=list)
    found_first: int = 0

    @property
    def server_errors(self) -> int:
        return sum(1 for s in self.samples if s.status >= 500)

    @property
    def transport_errors(self) -> int:
        return sum(1 for s in self.samples if s.status == 0)


# -- set-up -----------------------------------------------------------------------------------


def load_questions() -> list[str]:
    lines = QUESTIONS_FILE.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def haven(*args: str, env: dict[str, str], capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout.strip() if capture else ""


def server_env(data_dir: Path, workers: int) -> dict[str, str]:
    return dict(
        os.environ,
        HAVEN_DATA_DIR=str(data_dir),
        HAVEN_CORPUS_DIR=str(ROOT / "corpus"),
        HAVEN_SERVER__WORKERS=str(workers),
        # Rate limits off: eight clients on one address are far above a person's pace.
        HAVEN_ACCESS__RATE_LIMIT_PER_IP="0",
        HAVEN_ACCESS__RATE_LIMIT_PER_KEY="0",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
    )


def prepare_template(source: Path, template: Path) -> None:
    """A data directory holding an index current for this code and corpus. It is kept in
    .cache/load-index (seeded from the source index, normally data/index from `make index`) and
    brought up to date there by an incremental `haven ingest`, so only the first run embeds."""
    cached = CACHE / "index"
    if not (cached / "current").exists() and (source / "current").exists():
        shutil.rmtree(cached, ignore_errors=True)
        shutil.copytree(source, cached, symlinks=True)
    print(f"index: bringing {cached} up to date (a first build takes minutes) ...", flush=True)
    haven("ingest", "--quiet", str(ROOT / "corpus"), env=server_env(CACHE, 1))
    shutil.copytree(cached, template / "index", symlinks=True)


@contextlib.contextmanager
def serve(data_dir: Path, workers: int, log: Path) -> Iterator[tuple[str, psutil.Process]]:
    env = server_env(data_dir, workers)
    with serve_process(env, workers, log, READY_SECONDS) as (base, proc):
        yield base, psutil.Process(proc.pid)


# -- measuring --------------------------------------------------------------------------------


class MemorySampler:
    """Peak resident memory of a process and all its descendants (uvicorn's workers)."""

    def __init__(self, root: psutil.Process, interval: float = 0.25) -> None:
        self.root = root
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def tree_rss(self) -> int:
        total = 0
        for proc in [self.root, *self.root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                self.peak = max(self.peak, self.tree_rss())
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def upload_document(run_tag: str, n: int, rng: random.Random) -> tuple[str, bytes, str]:
    """(file name, Markdown bytes, unique phrase): the phrase is one made-up word, so keyword
    search finds this document and no other."""
    phrase = "qz" + "".join(rng.choice("bcdfghjklmnpstvwxz") for _ in range(12))
    text = (
        f"# Field note {phrase}\n\n{FILLER}\n\n"
        f"Case reference {phrase}: {FILLER}\n\n## Follow-up\n\n{FILLER}\n"
    )
    return f"load-{run_tag}-{n:05d}.md", text.encode(), phrase


class Client:
    """One simulated user: picks a request kind at random and sends it, until told to stop."""

    def __init__(self, base: str, key: str, questions: list[str], seed: int, tag: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT)
        self.key = key
        self.questions = questions
        self.rng = random.Random(seed)
        self.tag = tag
        self.samples: list[Sample] = []
        self.uploads: list[Uploaded] = []
        self._n = 0

    def one(self) -> None:
        kind = self.rng.choices(KINDS, MIX)[0]
        started = time.perf_counter()
        try:
            status = getattr(self, f"_{kind}")()
        except httpx.HTTPError:
            status = 0
        self.samples.append(Sample(kind, status, (time.perf_counter() - started) * 1000))

    def _search(self) -> int:
        body = {"query": self.rng.choice(self.questions), "k": 5}
        return self.http.post("/api/search", json=body).status_code

    def _ask(self) -> int:
        body = {"question": self.rng.choice(self.questions)}
        return self.http.post("/api/ask", json=body).status_code

    def _upload(self) -> int:
        self._n += 1
        name, content, phrase = upload_document(self.tag, self._n, self.rng)
        response = self.http.post(
            "/api/documents",
            headers={"Authorization": f"Bearer {self.key}"},
            files={"file": (name, content, "text/markdown")},
            data={"title": f"Load test note {phrase}"},
        )
        if response.status_code in (200, 201):
            self.uploads.append(Uploaded(response.json()["doc_id"], phrase))
        return response.status_code

    def close(self) -> None:
        self.http.close()


def drive(clients: list[Client], seconds: float, max_requests: int) -> float:
    """Run every client in its own thread until the time or the request budget is spent."""
    budget = itertools.count()
    deadline = time.monotonic() + seconds

    def loop(client: Client) -> None:
        while time.monotonic() < deadline and next(budget) < max_requests:
            client.one()

    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def warm_up(base: str, questions: list[str], workers: int) -> None:
    """A few requests first, so model start-up in each worker is not counted."""
    for i in range(4 * workers):
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as http:
            http.post("/api/search", json={"query": questions[i % len(questions)]})
            http.post("/api/ask", json={"question": questions[i % len(questions)]})


def find_lost(base: str, key: str, uploads: list[Uploaded]) -> tuple[list[str], int]:
    """(accepted uploads missing from the listing or whose passages /api/search does not give
    back for their unique phrase, how many of all rank first for that phrase unfiltered)."""
    headers = {"Authorization": f"Bearer {key}"}
    lost: list[str] = []
    first = 0
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT, headers=headers) as http:
        listed = {d["doc_id"] for d in http.get("/api/documents").json()["documents"]}
        for u in uploads:
            if u.doc_id not in listed:
                lost.append(f"{u.doc_id}: not listed")
                continue
            # Within the document: proves its passages are in the index being served. A
            # one-word query over many near-identical notes may rank it low unfiltered.
            body = {"query": u.phrase, "k": 5, "doc_ids": [u.doc_id]}
            found = http.post("/api/search", json=body)
            texts = [h["text"] for h in found.json().get("results", [])] if found.is_success else []
            if not any(u.phrase in text for text in texts):
                lost.append(f"{u.doc_id}: search gives no passage with {u.phrase!r}")
            hits = http.post("/api/search", json={"query": u.phrase, "k": 5}).json()["results"]
            first += bool(hits) and hits[0]["doc_id"] == u.doc_id
    return lost, first


def run_once(args: argparse.Namespace, template: Path, workers: int, key: str) -> RunResult:
    with tempfile.TemporaryDirectory(prefix=f"haven-load-{workers}w-") as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(template, data_dir, symlinks=True)
        log = Path(tmp) / "server.log"
        questions = load_questions()
        try:
            with serve(data_dir, workers, log) as (base, proc):
                warm_up(base, questions, workers)
                sampler = MemorySampler(proc)
                idle = sampler.tree_rss()
                tag = f"{workers}w{int(time.time())}"
                clients = [
                    Client(base, key, questions, args.seed * 1000 + i, f"{tag}c{i}")
                    for i in range(args.clients)
                ]
                with sampler:
                    seconds = drive(clients, args.duration, args.max_requests)
                for c in clients:
                    c.close()
                samples = [s for c in clients for s in c.samples]
                uploads = [u for c in clients for u in c.uploads]
                lost, first = find_lost(base, key, uploads)
        except BaseException:
            print(log.read_text(errors="replace")[-5000:], file=sys.stderr)
            raise
        result = RunResult(workers, seconds, samples, uploads, sampler.peak / 2**20, idle / 2**20)
        result.lost = lost
        result.found_first = first
        if result.server_errors:
            print("server log (tail):\n" + log.read_text(errors="replace")[-8000:])
        return result


# -- reporting --------------------------------------------------------------------------------


def latency_row(label: str, samples: list[Sample]) -> str:
    ok = [s.ms for s in samples if 200 <= s.status < 300]
    if not ok:
        return f"  {label:8} {len(samples):6d} requests, none succeeded"
    return (
        f"  {label:8} {len(samples):6d} req  p50 {statistics.median(ok):8.1f} ms  "
        f"p95 {percentile(ok, 95):8.1f} ms  p99 {percentile(ok, 99):8.1f} ms"
    )


def report(result: RunResult, clients: int) -> None:
    samples = result.samples
    print(f"\n== {result.workers} worker(s), {clients} clients, {result.seconds:.0f} s ==")
    print(f"  requests {len(samples)}, throughput {len(samples) / result.seconds:.2f} req/s")
    for kind in KINDS:
        print(latency_row(kind, [s for s in samples if s.kind == kind]))
    print(latency_row("overall", samples))
    errors = Counter(s.status for s in samples if not 200 <= s.status < 300)
    shown = ", ".join(f"{'no answer' if k == 0 else k}: {v}" for k, v in sorted(errors.items()))
    print(f"  errors by status: {shown or 'none'}; 5xx: {result.server_errors}")
    print(
        f"  memory (server, all processes): idle {result.idle_rss_mb:.0f} MB, "
        f"peak {result.peak_rss_mb:.0f} MB"
    )
    print(
        f"  uploads accepted {len(result.uploads)}, lost {len(result.lost)}; "
        f"ranked first by their phrase (unfiltered) {result.found_first}"
    )
    for line in result.lost[:20]:
        print(f"    lost {line}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=180, help="Seconds per worker count.")
    parser.add_argument("--max-requests", type=int, default=20_000, help="Cap per worker count.")
    parser.add_argument("--index", type=Path, default=ROOT / "data" / "index")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="A 20 s smoke run, 4 clients.")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.clients = min(args.duration, 20), min(args.clients, 4)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="haven-load-") as tmp:
        template = Path(tmp) / "data"
        template.mkdir()
        prepare_template(args.index, template)
        key = haven("keys", "create", "load-test", env=server_env(template, 1), capture=True)
        results = [run_once(args, template, workers, key) for workers in args.workers]
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (1 min)")
    for result in results:
        report(result, args.clients)
    failed = [r for r in results if r.server_errors or r.transport_errors or r.lost]
    if failed:
        print("\nFAILED: server errors, unanswered requests or lost uploads (see above)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
